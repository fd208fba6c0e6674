/* Inspection task page: fills the hidden fields of an evidence form from what the device
   gives, when it gives it. The page works without this file (the fields stay empty).
   - captured_at: the chosen photo's or video's lastModified time (ISO 8601, UTC)
   - latitude / longitude / accuracy_m: navigator.geolocation, only in forms[data-geo]
     and only when the user allows it; asked for when the camera is opened. */
(function () {
  "use strict";
  var position = null;
  var asked = false;

  function setValue(form, name, value) {
    var input = form.elements.namedItem(name);
    if (input) input.value = value;
  }

  function fillPosition(form) {
    if (!position) return;
    var c = position.coords;
    setValue(form, "latitude", c.latitude.toFixed(6));
    setValue(form, "longitude", c.longitude.toFixed(6));
    setValue(form, "accuracy_m", Math.round(c.accuracy));
    var status = form.querySelector("[data-geo-status]");
    if (status) status.textContent = "已定位 ±" + Math.round(c.accuracy) + " m";
  }

  function askPosition() {
    if (asked || !("geolocation" in navigator)) return;
    asked = true;
    navigator.geolocation.getCurrentPosition(function (p) {
      position = p;
      Array.prototype.forEach.call(document.querySelectorAll("form[data-geo]"), fillPosition);
    }, function () {
      // Refused or unavailable: the upload goes without a position.
      asked = false;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  document.addEventListener("click", function (event) {
    var input = event.target.closest("form[data-geo] input[type=file]");
    if (input) askPosition();
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-evidence]")) return;
    var form = input.form;
    var file = input.files && input.files[0];
    if (!form || !file) return;
    var media = /^(image|video)\//.test(file.type || "");
    setValue(form, "captured_at", media && file.lastModified
      ? new Date(file.lastModified).toISOString() : "");
    if (form.hasAttribute("data-geo")) {
      askPosition();
      fillPosition(form);
    }
  });
})();
