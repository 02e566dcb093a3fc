// Quick exit of a sensitive service's pages (and of sign-in and account pages).
// Without JavaScript the button is a plain link to a neutral site. With it, the page
// is hidden at once and replaced by the neutral site, so that the back button and the
// history do not return to it; pressing Escape twice within a second does the same.
const button = document.querySelector("[data-quick-exit]");
const TWICE_WITHIN_MS = 1000;

function leave(event) {
  if (event) {
    event.preventDefault();
  }
  document.body.hidden = true;
  document.title = "";
  window.location.replace(button.href);
}

if (button) {
  let lastEscape = -Infinity;
  button.addEventListener("click", leave);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    if (event.timeStamp - lastEscape <= TWICE_WITHIN_MS) {
      leave(event);
    } else {
      lastEscape = event.timeStamp;
    }
  });
}
