// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Confirm destructive actions: <form data-confirm="…">.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // Auto-submit filter forms on change: <form data-autosubmit>.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
});
// Symbiosis: a suggested List of Waste code fills the code field.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-code]");
  var field = document.getElementById("id_low_code");
  if (button && field) { field.value = button.dataset.code; field.focus(); }
});
