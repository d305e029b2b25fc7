// Expense form: show only the fields the chosen kind needs (kilometres, or amount and receipt).
(function () {
  "use strict";
  function sync(form) {
    var checked = form.querySelector("input[name='kind']:checked");
    var mileage = !checked || checked.value === "mileage";
    [["id_kilometres", mileage], ["id_declared_amount", !mileage], ["id_receipt", !mileage]].forEach(function (pair) {
      var input = document.getElementById(pair[0]);
      var field = input && input.closest(".field");
      if (field) { field.hidden = !pair[1]; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-expense-form]");
    if (!form) { return; }
    sync(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") { sync(form); }
    });
  });
})();
