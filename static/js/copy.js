/* Copy buttons: <button data-copy="ID" data-copied="label"> copies the value of the field with that id
   (the stable address of a report) and says so, on screen and to screen readers (#copy-status). */
(function () {
  "use strict";
  function announce(button, text) {
    var status = document.getElementById("copy-status");
    var original = button.textContent;
    button.textContent = text;
    if (status) { status.textContent = text; }
    window.setTimeout(function () { button.textContent = original; }, 2000);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    var done = function () { announce(button, button.getAttribute("data-copied") || "OK"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.focus();
      field.select();
      if (document.execCommand && document.execCommand("copy")) { done(); }
    }
  });
})();
