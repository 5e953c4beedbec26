// Shows a long contact-list import's progress, asking the server every 2 seconds,
// and reloads the page for its report when the import has finished.
(function () {
  "use strict";
  var box = document.getElementById("import-job");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("import-progress");
  var label = document.getElementById("import-label");
  var count = document.getElementById("import-count");

  function show(job) {
    label.textContent = job.label;
    if (job.rows_total) {
      bar.max = job.rows_total;
      bar.value = job.rows_done;
      count.textContent =
        job.rows_done.toLocaleString("en-GB") +
        " of " +
        job.rows_total.toLocaleString("en-GB") +
        " rows checked";
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
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
