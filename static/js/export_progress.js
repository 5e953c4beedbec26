// Shows a long export's progress, asking the server every second, and reloads the
// page for its download link when the file is written.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("export-progress");
  var label = document.getElementById("export-label");
  var count = document.getElementById("export-count");

  function show(job) {
    label.textContent = job.label;
    if (job.rows_total) {
      bar.max = job.rows_total;
      bar.value = job.rows_done;
      count.textContent =
        job.rows_done.toLocaleString("en-GB") +
        " of " +
        job.rows_total.toLocaleString("en-GB") +
        " responses written";
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (job.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
