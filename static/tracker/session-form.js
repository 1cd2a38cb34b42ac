// The session form's helpers: the quarter a typed date falls in, and the topic taken from the theme.
(function () {
  var ROMAN = ["I", "II", "III", "IV"];
  var date = document.getElementById("id_date");
  var shown = document.querySelector("[data-quarter-of-date]");
  function showQuarter() {
    var match = /^(\d{1,2})[\/.-](\d{1,2})[\/.-](\d{4})$/.exec((date.value || "").trim());
    if (!match || +match[2] < 1 || +match[2] > 12) {
      shown.textContent = "";
      return;
    }
    shown.textContent = "→ " + shown.dataset.prefix + " " + ROMAN[Math.floor((+match[2] - 1) / 3)] + "/" + match[3];
  }
  if (date && shown) {
    shown.dataset.prefix = document.documentElement.lang === "en" ? "Quarter" : "Quý";
    date.addEventListener("input", showQuarter);
    showQuarter();
  }
  var theme = document.getElementById("id_theme");
  var topic = document.getElementById("id_topic");
  if (theme && topic) {
    theme.addEventListener("change", function () {
      if (!topic.value && theme.selectedIndex > 0) {
        topic.value = theme.options[theme.selectedIndex].text.replace(/^[^:]*:\s*/, "");
      }
    });
  }
})();
