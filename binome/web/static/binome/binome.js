// Small behaviours hung on data-* attributes; the pages work without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
    var printer = event.target.closest && event.target.closest("[data-print]");
    if (printer) {
      event.preventDefault();
      window.print();
    }
    var copier = event.target.closest && event.target.closest("[data-copy]");
    if (copier && navigator.clipboard) {
      event.preventDefault();
      navigator.clipboard.writeText(copier.getAttribute("data-copy"));
      copier.textContent = copier.getAttribute("data-copied") || "Copié";
    }
  });
  // The menu is open by default on wide screens, a disclosure on phones.
  function syncMenu() {
    var menu = document.getElementById("menu");
    if (menu) { menu.open = window.matchMedia("(min-width: 900px)").matches; }
  }
  document.addEventListener("DOMContentLoaded", syncMenu);
  window.addEventListener("resize", syncMenu);
})();
