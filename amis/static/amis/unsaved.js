// Warn before leaving a page whose form holds changes not yet saved: forms marked
// data-warn-unsaved. A static file, as the Content-Security-Policy forbids inline scripts; without
// JavaScript the pages work as before, only without the warning.
(function () {
  "use strict";
  var dirty = false;
  function watched(target) {
    var form = target && target.form;
    return form && form.hasAttribute("data-warn-unsaved");
  }
  function mark(event) {
    if (watched(event.target)) {
      dirty = true;
    }
  }
  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  document.addEventListener("submit", function () {
    dirty = false; // saving, submitting or uploading: the changes go with the form
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = ""; // the browser shows its own "leave the page?" question
    }
  });
})();
