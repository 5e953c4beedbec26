// Fills hidden "browser" items with what the browser says of itself, and moves focus
// to the error summary or the conflict notice when a page comes back with one.
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
  var notice = document.getElementById("error-summary") || document.getElementById("conflict");
  if (notice) { notice.focus(); }
});
