// On a phone the changelist's filters come before the rows (admin.css), folded behind
// their heading so that the rows stay a thumb away; the heading becomes a toggle.
(function () {
  var filter = document.getElementById("changelist-filter");
  var heading = filter && filter.querySelector("h2");
  if (!heading || !window.matchMedia("(max-width: 767px)").matches) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "filter-toggle";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", "changelist-filter");
  button.textContent = heading.textContent;
  heading.textContent = "";
  heading.appendChild(button);
  filter.classList.add("folded");
  button.addEventListener("click", function () {
    var folded = filter.classList.toggle("folded");
    button.setAttribute("aria-expanded", folded ? "false" : "true");
  });
})();
