// The fieldwork dashboard: sortable tables (a plain table without this script) and the
// chart of cumulative completes, drawn from the page's JSON data block.
(function () {
  "use strict";

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value") : cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    var n = parseFloat(raw);
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(table, headers, index) {
    var header = headers[index];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var numeric = header.getAttribute("data-sort") === "number";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    if (table.tBodies[0].rows.length < 2) return;
    headers.forEach(function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, headers, index); });
    });
  }

  // Vertical lines on the days a message went out, each with its name at the top.
  var messageMarkers = {
    id: "messageMarkers",
    afterDatasetsDraw: function (chart, args, options) {
      var ctx = chart.ctx, area = chart.chartArea, x = chart.scales.x;
      var seen = {};
      ctx.save();
      ctx.strokeStyle = "#842029";
      ctx.fillStyle = "#842029";
      ctx.setLineDash([4, 4]);
      ctx.font = "12px system-ui, sans-serif";
      (options.markers || []).forEach(function (marker) {
        var left = x.getPixelForValue(marker.index);
        var line = seen[marker.index] || 0;
        seen[marker.index] = line + 1;
        ctx.beginPath();
        ctx.moveTo(left, area.top);
        ctx.lineTo(left, area.bottom);
        ctx.stroke();
        ctx.fillText(marker.label, left + 4, area.top + 12 + line * 14);
      });
      ctx.restore();
    }
  };

  function drawChart(canvas, data) {
    if (typeof window.Chart === "undefined") return;
    canvas.chart = new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{
          label: "Cumulative completes",
          data: data.cumulative,
          borderColor: "#0b5ed7",
          backgroundColor: "rgba(11, 94, 215, 0.15)",
          fill: true,
          stepped: true,
          pointRadius: 2
        }]
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Completes" } } },
        plugins: { messageMarkers: { markers: data.markers }, legend: { display: false } }
      },
      plugins: [messageMarkers]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
    var canvas = document.getElementById("progress-chart");
    var source = document.getElementById("progress-data");
    if (canvas && source) drawChart(canvas, JSON.parse(source.textContent));
  });
})();
