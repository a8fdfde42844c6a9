// The progress bar of an import: polls the job's progress while it runs, then reloads the page.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("import-progress");
    var url = box && box.getAttribute("data-progress-url");
    if (!url) { return; }
    var bar = document.getElementById("import-progress-bar");
    var status = document.getElementById("import-status");
    var text = document.getElementById("import-progress-text");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          bar.value = data.percent;
          bar.textContent = data.percent + " %";
          status.textContent = data.status_label;
          text.textContent = data.percent + " % (" + data.checked + " / " + data.total + ")";
          if ((data.status !== "validating" && data.status !== "committing") || data.interrupted) {
            window.location.reload();
          } else {
            window.setTimeout(poll, 2000);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
