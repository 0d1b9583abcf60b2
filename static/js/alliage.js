// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Confirm irreversible actions: <form data-confirm="…"> or <button data-confirm="…">.
  // Accepted, the form carries confirmed=1; without JavaScript the server asks instead
  // (alliage.core.confirm).
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      var question = (button && button.dataset.confirm) || form.dataset.confirm;
      if (!question) { return; }
      if (!window.confirm(question)) { event.preventDefault(); return; }
      var flag = form.querySelector("input[name=confirmed]");
      if (!flag) {
        flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "confirmed";
        form.appendChild(flag);
      }
      flag.value = "1";
    });
  });
  // A form sent back with errors: its summary takes the focus (read first, in view).
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
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
