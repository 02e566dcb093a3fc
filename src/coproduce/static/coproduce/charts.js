// Progressive enhancement: replace each server-drawn SVG chart with the interactive
// Vega view of the same spec. Without JavaScript the SVG and its table remain.
// Vega labels the element it draws into ("Vega visualization"), so it draws into an
// inner element hidden from assistive technology; the outer one keeps the chart's name.
for (const drawing of document.querySelectorAll("[data-vega-spec]")) {
  const source = document.getElementById(drawing.dataset.vegaSpec);
  if (!source || typeof window.vegaEmbed !== "function") continue;
  const spec = JSON.parse(source.textContent);
  window.vegaEmbed(drawing, spec, { actions: false, renderer: "svg" }).catch(() => {});
}
