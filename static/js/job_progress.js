// Shows a long job's progress (a contact-list import, an export), asking the server
// every few seconds, and reloads the page for its result when the job has finished.
// The page gives the job's box `data-job` (the prefix of its elements' ids), the status
// URL, the unit counted ("rows checked") and how often to ask, in milliseconds.
(function () {
  "use strict";
  var box = document.querySelector("[data-job][data-status-url]");
  if (!box) {
    return;
  }
  var prefix = box.getAttribute("data-job");
  var url = box.getAttribute("data-status-url");
  var unit = box.getAttribute("data-unit") || "done";
  var every = parseInt(box.getAttribute("data-interval"), 10) || 2000;
  var bar = document.getElementById(prefix + "-progress");
  var label = document.getElementById(prefix + "-label");
  var count = document.getElementById(prefix + "-count");

  function show(job) {
    label.textContent = job.label;
    if (job.rows_total) {
      bar.max = job.rows_total;
      bar.value = job.rows_done;
      count.textContent =
        job.rows_done.toLocaleString("en-GB") +
        " of " +
        job.rows_total.toLocaleString("en-GB") +
        " " +
        unit;
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
          window.setTimeout(poll, every);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
