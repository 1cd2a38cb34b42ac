// A form sent to the server is sent once: while the server works, its buttons say so
// and are disabled, and a second click or Enter does nothing. The clicked button's
// name and value still reach the server (a disabled button is not sent, so a hidden
// copy is). Coming back to the page (back button, back-forward cache) gives the
// buttons back. Forms that answer with a download (the admin's export) leave the
// page in place, so they are left alone.
(function () {
  var script = document.currentScript;
  var BUSY = (script && script.dataset.busyLabel) || "…";
  var BUTTONS = "button[type=submit], button:not([type]), input[type=submit]";

  function isDownload(form) {
    return /\/export\/$/.test(new URL(form.action, document.baseURI).pathname);
  }

  // The form's buttons, those outside it that name it (form="…") too.
  function buttonsOf(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.matches(BUTTONS);
    });
  }

  function setLabel(button, text) {
    if (button.tagName === "INPUT") {
      button.value = text;
    } else {
      button.textContent = text;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post" || isDownload(form)) {
      return;
    }
    if (form.dataset.busy) {
      event.preventDefault();
      return;
    }
    form.dataset.busy = "1";
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      copy.dataset.submitCopy = "1";
      form.appendChild(copy);
    }
    buttonsOf(form).forEach(function (button) {
      if (button.disabled) {
        return; // disabled by the page itself (the current language): not ours to give back
      }
      button.dataset.label = button.tagName === "INPUT" ? button.value : button.textContent;
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      if (button === submitter || !submitter) {
        setLabel(button, BUSY);
      }
    });
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      delete form.dataset.busy;
      form.querySelectorAll("[data-submit-copy]").forEach(function (copy) {
        copy.remove();
      });
      buttonsOf(form).forEach(function (button) {
        if (button.dataset.label === undefined) {
          return;
        }
        setLabel(button, button.dataset.label);
        delete button.dataset.label;
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });
})();
