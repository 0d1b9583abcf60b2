// Survey skip logic: a question with data-show-if is shown only when the earlier question
// it names has the given choice. Without JavaScript every question shows and the server
// ignores the answers to questions whose condition is not met.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.survey-form");
  if (!form) { return; }
  var blocks = form.querySelectorAll("fieldset[data-show-if]");
  function chosen(name) {
    var values = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if (input.checked) { values.push(input.value); }
    });
    var block = document.getElementById("block-" + name);
    return block && block.hidden ? [] : values;
  }
  function refresh() {
    blocks.forEach(function (block) {
      var show = chosen(block.dataset.showIf).indexOf(block.dataset.showChoice) !== -1;
      block.hidden = !show;
      block.querySelectorAll("input, textarea, select").forEach(function (input) {
        input.disabled = !show;
      });
    });
    // A section whose questions are all hidden is hidden too.
    form.querySelectorAll("fieldset.survey-section").forEach(function (section) {
      section.hidden = !section.querySelector("fieldset.question:not([hidden])");
    });
  }
  form.addEventListener("change", refresh);
  refresh();
});
