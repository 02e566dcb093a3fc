// GOV.UK Frontend's first step, from a file since the Content Security Policy allows no
// inline script: mark the body so styles for JavaScript-enhanced components apply.
// Loaded with a classic <script> at the top of <body>, so there is no flash of unstyled
// components.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
