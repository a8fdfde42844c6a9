// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Take keyboard and screen-reader users straight to the list of problems.
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }

    // A table wider than the screen scrolls sideways: let keyboard users reach and scroll it too.
    var tableWraps = document.querySelectorAll(".table-wrap");
    function updateScrollable() {
      tableWraps.forEach(function (wrap) {
        if (wrap.scrollWidth > wrap.clientWidth) { wrap.setAttribute("tabindex", "0"); }
        else { wrap.removeAttribute("tabindex"); }
      });
    }
    if (tableWraps.length) {
      updateScrollable();
      window.addEventListener("resize", updateScrollable);
    }

    // Show only the age fields that match what is known of the age.
    var precisionInputs = document.querySelectorAll("input[name='birth_precision']");
    if (!precisionInputs.length) { return; }
    var fieldsFor = {
      full: ["birth_date"], year_month: ["birth_year", "birth_month"], year: ["birth_year"],
      estimated_age: ["estimated_age"]
    };
    var all = ["birth_date", "birth_year", "birth_month", "estimated_age"];
    function update() {
      var checked = document.querySelector("input[name='birth_precision']:checked");
      var visible = checked ? fieldsFor[checked.value] || all : all;
      all.forEach(function (name) {
        var wrapper = document.getElementById("field-" + name);
        if (wrapper) { wrapper.hidden = visible.indexOf(name) === -1; }
      });
    }
    precisionInputs.forEach(function (input) { input.addEventListener("change", update); });
    update();
  });
})();
