// Copy buttons for personal links. Without JavaScript (or without the clipboard API) the
// buttons stay hidden and each link is shown as text to select and copy by hand.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var status = document.getElementById("copy-status");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  document.querySelectorAll("button.copy-link").forEach(function (button) {
    var link = document.getElementById(button.getAttribute("data-copy-target"));
    if (!link) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.textContent.trim()).then(
        function () {
          button.textContent = "Copied";
          say("Link copied to the clipboard.");
          window.setTimeout(function () {
            button.textContent = "Copy link";
          }, 3000);
        },
        function () {
          say("The link could not be copied: select it and copy it by hand.");
        }
      );
    });
  });
})();
