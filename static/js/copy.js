// Copy buttons: <button data-copy="text" data-copied="Copied" hidden>. Shown only when the
// clipboard is available (the text stays selectable without JavaScript); CSP-clean.
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.textContent;
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        button.textContent = button.dataset.copied;
        if (status) { status.textContent = button.dataset.copied; }
        window.setTimeout(function () { button.textContent = label; }, 3000);
      });
    });
  });
});
