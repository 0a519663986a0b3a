/* Back office: list filters drawn as drop-downs (templates/admin/filter_select.html) follow
 * the chosen option's link. Without this script the folded list of links below stays. */
(function () {
  "use strict";

  function init() {
    document.querySelectorAll("select[data-filter-select]").forEach(function (select) {
      var fallback = select.parentNode.querySelector(".select-filter-fallback");
      if (fallback) { fallback.hidden = true; }
      select.hidden = false;
      select.addEventListener("change", function () {
        window.location.href = select.value;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
