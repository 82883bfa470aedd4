// The Copy button beside a new invitation link. Without this script the link is still in a
// read-only field to select and copy by hand; with it, the field selects itself when it gets
// focus, and the button copies to the clipboard and says "Copied" where everyone can see it.
"use strict";
document.querySelectorAll("[data-copy-source]").forEach(function (field) {
  field.addEventListener("focus", function () { field.select(); });
  field.addEventListener("click", function () { field.select(); });
});
document.querySelectorAll("button[data-copy-for]").forEach(function (button) {
  var field = document.getElementById(button.dataset.copyFor);
  var said = document.querySelector('[data-copied-for="' + button.dataset.copyFor + '"]');
  if (!field) { return; }
  button.hidden = false;
  function tell(words) { if (said) { said.textContent = words; } }
  function byHand() {
    field.focus();
    field.select();
    try {
      if (document.execCommand("copy")) { tell("Copied"); return; }
    } catch (ignored) { /* an old browser: the selected link is copied by hand */ }
    tell("Selected: press Ctrl+C (or ⌘C) to copy");
  }
  button.addEventListener("click", function () {
    tell("");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { tell("Copied"); }, byHand);
    } else {
      byHand();
    }
  });
});
