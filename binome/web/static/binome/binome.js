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
  // The menu is open in the HTML (it works without JS); on phones it becomes a disclosure.
  // Only a change of breakpoint resets it: phones fire "resize" while scrolling.
  var wide = window.matchMedia("(min-width: 900px)");
  function syncMenu() {
    var menu = document.getElementById("menu");
    if (menu) { menu.open = wide.matches; }
  }
  document.addEventListener("DOMContentLoaded", syncMenu);
  if (wide.addEventListener) { wide.addEventListener("change", syncMenu); }
})();
