// An image field shows the chosen file before the form is sent (core/widgets.py).
// Loaded once per field: the listener is added once.
if (!window.alliageImagePreview) {
  window.alliageImagePreview = true;
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-image-preview]")) return;
    var img = document.querySelector('img[data-preview-for="' + input.id + '"]');
    var file = input.files && input.files[0];
    if (!img || !file || file.type.indexOf("image/") !== 0) return;
    var reader = new FileReader();
    reader.onload = function () {
      img.src = reader.result;
      img.alt = img.dataset.chosenAlt;
      img.hidden = false;
    };
    reader.readAsDataURL(file);
  });
}
