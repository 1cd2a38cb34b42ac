// Buttons marked data-print open the browser's print dialog (no inline scripts: the CSP forbids them).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// The header menu folds behind a button on a narrow screen (CSS decides when it is folded).
(function () {
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!toggle || !menu) {
    return;
  }
  document.documentElement.classList.add("has-menu-toggle");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  });
})();

// A filter box over a long <select> (input.option-filter data-filters="SELECT-ID"): typing
// narrows its options, accent- and case-blind ("y te" finds "Sở Y tế"), and selects the
// first that matches, so that Enter shows it. Hidden without JavaScript, where the
// select works as it is.
function foldText(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
}

document.querySelectorAll("input.option-filter").forEach(function (input) {
  var select = document.getElementById(input.dataset.filters);
  if (!select) {
    return;
  }
  input.hidden = false;
  var options = Array.prototype.map.call(select.options, function (option) {
    return { option: option, text: foldText(option.text + " " + option.value) };
  });
  input.addEventListener("input", function () {
    var needle = foldText(input.value.trim());
    var first = null;
    options.forEach(function (item) {
      var match = item.text.indexOf(needle) !== -1;
      item.option.hidden = !match;
      if (match && first === null) {
        first = item.option;
      }
    });
    if (first !== null && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
      first.selected = true;
    }
  });
});
