/* Evidence uploads: a file over the limit is refused in the browser, before it is uploaded.
   <input type="file" data-max-bytes="N" data-too-big="… {name} …">: on choosing files, any over N bytes
   makes the field invalid (the form cannot be sent) and the message appears under it. The server checks
   the size and the type again whatever the browser did. */
(function () {
  "use strict";
  function check(input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var message = "";
    Array.prototype.forEach.call(input.files || [], function (file) {
      if (!message && limit && file.size > limit) {
        message = (input.getAttribute("data-too-big") || "").replace("{name}", file.name);
      }
    });
    input.setCustomValidity(message);
    input.classList.toggle("is-invalid", Boolean(message));
    input.setAttribute("aria-invalid", message ? "true" : "false");
    var id = input.id + "_size_error";
    var box = document.getElementById(id);
    if (message && !box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "field-error";
      box.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", box);
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", (described ? described + " " : "") + id);
    }
    if (box) { box.textContent = message; }
    return !message;
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-max-bytes]")) { check(event.target); }
  });
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    Array.prototype.forEach.call(inputs, function (input) {
      if (!check(input)) { event.preventDefault(); input.focus(); }
    });
  });
})();
