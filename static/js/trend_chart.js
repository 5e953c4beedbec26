// Draws the trend chart from the figures the page gives in #trend-data (json_script).
(function () {
  "use strict";
  // Colours told apart with colour-blindness (Okabe and Ito), each with its own dash.
  var COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
  var DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

  function draw() {
    var source = document.getElementById("trend-data");
    var canvas = document.getElementById("trend-chart");
    if (!source || !canvas || !window.Chart) {
      return;
    }
    var figures = JSON.parse(source.textContent);
    var datasets = figures.datasets.map(function (set, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: set.label,
        data: set.data,
        borderColor: colour,
        backgroundColor: colour,
        borderDash: DASHES[Math.floor(i / COLOURS.length) % DASHES.length],
        spanGaps: false,
        tension: 0,
        pointRadius: 4
      };
    });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: figures.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: { min: 0, max: 100, title: { display: true, text: "% of base" } }
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + item.formattedValue + "%";
              }
            }
          }
        }
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
