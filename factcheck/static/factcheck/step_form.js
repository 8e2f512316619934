// A step's form is sent once: after the first click its button is disabled, so a
// double click on a slow server does not send the step twice. (The server also
// reads a repeated step of your own as done.) Without JavaScript the form works
// as before.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-send-once]")) {
    return;
  }
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "true";
  for (const button of form.querySelectorAll("[type=submit]")) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
});

// Coming back with the Back button may restore the page as it was left: sendable again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) {
    return;
  }
  for (const form of document.querySelectorAll("form[data-send-once][data-sent]")) {
    delete form.dataset.sent;
    for (const button of form.querySelectorAll("[type=submit][aria-busy]")) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
});
