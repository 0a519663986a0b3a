/* Registration form niceties; the form works without them.
 * - Business questions: shown as optional for "pemula", required for "naik kelas".
 * - Error summary: focused after a submission with errors so screen readers announce it.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-registration-form]");
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  if (!form) { return; }

  var business = form.querySelector("[data-business-fields]");
  var tracks = form.querySelectorAll("input[name=track]");
  if (!business || !tracks.length) { return; }

  function update() {
    var checked = form.querySelector("input[name=track]:checked");
    var track = checked ? checked.value : "pemula";
    business.querySelectorAll("[data-business-note]").forEach(function (note) {
      note.hidden = note.dataset.businessNote !== track;
    });
    business.classList.toggle("business-required", track === "naik_kelas");
  }

  tracks.forEach(function (input) { input.addEventListener("change", update); });
  update();
})();
