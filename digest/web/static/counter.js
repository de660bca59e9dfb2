// Live length counters of the fields carrying data-min / data-max (the edition's subject,
// preheader and opening line): the count, the limits, and a warning class outside them.
"use strict";
document.querySelectorAll("[data-max]").forEach(function (field) {
  var counter = document.getElementById(field.getAttribute("aria-describedby"));
  var low = Number(field.dataset.min), high = Number(field.dataset.max);
  function update() {
    var n = field.value.trim().replace(/\s+/g, " ").length;
    var range = low > 1 ? low + " à " + high : "au plus " + high;
    var state = n > high ? " : trop long" : n < low ? " : trop court" : "";
    counter.textContent = n + " caractères (" + range + ")" + state;
    counter.classList.toggle("over", state !== "");
  }
  field.addEventListener("input", update);
  update();
});
