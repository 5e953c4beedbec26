// Fills hidden "browser" items with what the browser says of itself; moves focus to the
// error summary, the conflict notice or the further-questions notice when a page shows one;
// makes each link of the error summary put focus on its field (an in-page link only scrolls);
// shows the box of an "other" option while it is chosen; and shows or hides the questions
// an answer on the page brings up as soon as it changes, as the server's routing says (the
// save decides again, so nothing here is trusted).
(function () {
  "use strict";

  function captureBrowser() {
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
  }

  function errorLinks() {
    document.querySelectorAll("#error-summary a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        if (!field) { return; }
        event.preventDefault();
        var question = field.closest("fieldset, .question") || field;
        question.scrollIntoView({ block: "start" });
        field.focus({ preventScroll: true });
      });
    });
  }

  // The box of an "other" option: shown (and sent) while its option is chosen, or while it
  // carries an error about text typed for an option not chosen. Typing in it chooses it.
  function otherBoxes(form) {
    form.querySelectorAll(".option-other[data-option]").forEach(function (box) {
      var option = document.getElementById(box.dataset.option);
      var input = box.querySelector("input");
      if (!option || !input) { return; }
      var group = form.querySelectorAll('input[name="' + CSS.escape(option.name) + '"]');
      function sync() {
        var open = option.checked || input.hasAttribute("aria-invalid");
        box.hidden = !open;
        input.disabled = !open;
      }
      group.forEach(function (el) { el.addEventListener("change", sync); });
      input.addEventListener("input", function () {
        if (input.value.trim() && !option.checked) {
          option.checked = true;
          option.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      sync();
    });
  }

  // Questions an answer on this page can bring up: the server says which are shown.
  function followUps(form) {
    var url = form.dataset.shownUrl;
    var codes = (form.dataset.followUps || "").split(" ").filter(Boolean);
    if (!url || !codes.length) { return; }
    var live = document.getElementById("added-live");
    var asked = 0, timer = null;

    function marker(code) {
      return form.querySelector('input[name="shown"][value="' + CSS.escape(code) + '"]');
    }
    function setShown(code, on) {
      var el = marker(code);
      if (on && !el) {
        el = document.createElement("input");
        el.type = "hidden";
        el.name = "shown";
        el.value = code;
        form.insertBefore(el, form.firstChild);
      } else if (!on && el) {
        el.remove();
      }
    }
    function apply(shown) {
      var added = 0;
      codes.forEach(function (code) {
        var block = form.querySelector('[data-item="' + CSS.escape(code) + '"]');
        if (!block) { return; }
        var on = shown.indexOf(code) >= 0;
        if (on && block.hidden) {
          added += 1;
          block.classList.add("question-added");
        }
        block.hidden = !on;
        setShown(code, on);
      });
      if (added && live) {
        live.textContent = added === 1 ? "A further question was added below your answer."
          : added + " further questions were added below your answer.";
      }
    }
    function ask() {
      var mine = ++asked;
      var body = new FormData(form);
      body.delete("shown");
      fetch(url, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && mine === asked) { apply(data.shown); } })
        .catch(function () { /* the save shows what the routing brings up in any case */ });
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "shown") { return; }
      clearTimeout(timer);
      timer = setTimeout(ask, 100);
    });
    if (form.querySelector("[data-item][hidden]")) { ask(); }  // answers posted back
  }

  document.addEventListener("DOMContentLoaded", function () {
    captureBrowser();
    errorLinks();
    document.querySelectorAll("main form").forEach(function (form) {
      otherBoxes(form);
      followUps(form);
    });
    var notice = document.getElementById("error-summary") || document.getElementById("conflict") ||
      document.getElementById("revealed");
    if (notice) { notice.focus(); }
  });
})();
