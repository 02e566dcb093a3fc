// Progressive enhancement of conditional questions: every form works without it.
// A question marked data-show-if="<field name>" data-show-if-value="<value>" is hidden
// while the answer it depends on, on the same page, is not that value. Without this
// script the question is shown with a hint, and the server drops its answer when the
// condition is false; a question depending on an earlier page was decided by the server.
for (const group of document.querySelectorAll("[data-show-if]")) {
  const inputs = [...document.getElementsByName(group.dataset.showIf)];
  if (inputs.length === 0) continue;
  const wanted = group.dataset.showIfValue;
  const update = () => {
    group.hidden = !inputs.some((input) =>
      input.type === "radio" || input.type === "checkbox"
        ? input.checked && input.value === wanted
        : input.value.trim() === wanted,
    );
  };
  for (const input of inputs) input.addEventListener("change", update);
  update();
}
