// Newsletter composer: toolbar buttons insert Markdown blocks at the cursor (no inline script).
document.addEventListener("click", function (event) {
  var button = event.target.closest(".toolbar [data-insert], .toolbar [data-wrap]");
  if (!button) return;
  var bar = button.closest(".toolbar");
  var area = document.getElementById(bar.dataset.target);
  if (!area) return;
  var start = area.selectionStart, end = area.selectionEnd, value = area.value;
  var text;
  if (button.dataset.wrap) {
    var mark = button.dataset.wrap;
    text = mark + (value.slice(start, end) || "texte") + mark;
  } else {
    text = button.dataset.insert;
  }
  area.value = value.slice(0, start) + text + value.slice(end);
  area.focus();
  area.selectionStart = area.selectionEnd = start + text.length;
  area.dispatchEvent(new Event("input", { bubbles: true }));
});
document.addEventListener("focusin", function (event) {
  if (event.target.classList && event.target.classList.contains("copy-code")) {
    event.target.select();
  }
});
