// Check-in desk: scan QR tickets with the phone's camera where the browser can
// (BarcodeDetector); otherwise the code field takes a handheld scanner or typing.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-scan-form]");
  if (!form) { return; }
  var input = form.querySelector("input[name=code]");
  // After each answer, clear and refocus the field for the next ticket.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "desk-result") {
      input.value = "";
      input.focus();
      var search = document.getElementById("desk-q");
      if (search && search.value) { htmx.trigger(search, "search"); }
    }
  });
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var button = form.querySelector("[data-camera]");
  var video = form.querySelector("[data-camera-view]");
  var detector = new window.BarcodeDetector({formats: ["qr_code"]});
  var stream = null, last = "", lastAt = 0;
  button.hidden = false;
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null; video.hidden = true;
  }
  function tick() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      var now = Date.now();
      if (codes.length && (codes[0].rawValue !== last || now - lastAt > 4000)) {
        last = codes[0].rawValue; lastAt = now;
        input.value = last;
        form.requestSubmit();
      }
    }).catch(function () {}).finally(function () { window.setTimeout(tick, 250); });
  }
  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; video.play(); tick();
    }).catch(function () { stop(); });
  });
});
