// skillcert console: the check-in page's camera scan. Where the browser has
// BarcodeDetector (Chrome/Edge on Android, recent desktop Chrome), "用摄像头扫码"
// reads the ticket's QR code through the camera and submits it; elsewhere the
// button stays hidden and staff type the number or use a USB scanner (which
// types the token and Enter into the focused field).
(function () {
  "use strict";
  var btn = document.getElementById("scan");
  var video = document.getElementById("scan-video");
  var form = document.getElementById("checkin-form");
  var input = document.getElementById("code");
  if (!btn || !video || !form || !input) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  btn.hidden = false;
  btn.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      document.getElementById("scan-hint").hidden = false;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); };
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length > 0 && codes[0].rawValue) {
            stop();
            input.value = codes[0].rawValue;
            form.submit();
            return;
          }
          window.requestAnimationFrame(tick);
        }).catch(function () { window.requestAnimationFrame(tick); });
      };
      tick();
    }).catch(function () {
      btn.hidden = true;
      input.focus();
    });
  });
})();
