// Fills hidden "browser" items with what the browser says of itself; moves focus to the
// error summary, the conflict notice or the further-questions notice when a page shows one;
// makes each link of the error summary put focus on its field (an in-page link only scrolls).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll('input[type="hidden"][data-capture="browser"]').forEach(function (el) {
    if (!el.value) {
      el.value = JSON.stringify({
        userAgent: navigator.userAgent,
        language: navigator.language,
        screen: window.screen.width + "x" + window.screen.height,
        viewport: window.innerWidth + "x" + window.innerHeight,
      });
    }
  });
  document.querySelectorAll("#error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!field) { return; }
      event.preventDefault();
      var question = field.closest("fieldset") || field;
      question.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  });
  var notice = document.getElementById("error-summary") || document.getElementById("conflict") ||
    document.getElementById("revealed");
  if (notice) { notice.focus(); }
});
