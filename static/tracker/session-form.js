// The session form's helpers: the quarter a typed date falls in, and the topic taken from the theme.
(function () {
  var ROMAN = ["I", "II", "III", "IV"];
  var date = document.getElementById("id_date");
  var shown = document.querySelector("[data-quarter-of-date]");
  function showQuarter() {
    // The date picker gives yyyy-mm-dd; a browser without one lets people type dd/mm/yyyy.
    var value = (date.value || "").trim();
    var iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    var typed = /^(\d{1,2})[\/.-](\d{1,2})[\/.-](\d{4})$/.exec(value);
    var month = iso ? +iso[2] : typed ? +typed[2] : 0;
    var year = iso ? iso[1] : typed ? typed[3] : "";
    if (month < 1 || month > 12) {
      shown.textContent = "";
      return;
    }
    shown.textContent = "→ " + shown.dataset.prefix + " " + ROMAN[Math.floor((month - 1) / 3)] + "/" + year;
  }
  if (date && shown) {
    shown.dataset.prefix = document.documentElement.lang === "en" ? "Quarter" : "Quý";
    date.addEventListener("input", showQuarter);
    date.addEventListener("change", showQuarter);
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
  // The roll call: the reason only beside an absence with leave (or one already typed).
  Array.prototype.forEach.call(document.querySelectorAll("[data-roll-row]"), function (row) {
    var status = row.querySelector("select");
    var reason = row.querySelector("[data-reason]");
    if (!status || !reason) {
      return;
    }
    function showReason() {
      reason.hidden = status.value !== "excused" && !reason.querySelector("input").value;
    }
    status.addEventListener("change", showReason);
    showReason();
  });
})();
