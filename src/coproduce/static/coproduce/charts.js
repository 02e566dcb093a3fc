// Progressive enhancement: replace each server-drawn SVG chart with the interactive
// Vega view of the same spec. Without JavaScript the SVG and its table remain.
// Vega labels the element it draws into ("Vega visualization"), so it draws into an
// inner element hidden from assistive technology; the outer one keeps the chart's name.
// The Content Security Policy allows no 'unsafe-eval': Vega evaluates its expressions
// with its interpreter (ast: true) instead of compiling them with `new Function`, and
// neither Vega-Embed nor its tooltip adds an inline <style>: coproduce/charts.css has
// the tooltip's.
import { expressionInterpreter } from "../dist/vega-interpreter.js";

const options = {
  actions: false,
  renderer: "svg",
  ast: true,
  expr: expressionInterpreter,
  defaultStyle: false,
  tooltip: { disableDefaultStyle: true },
};

for (const drawing of document.querySelectorAll("[data-vega-spec]")) {
  const source = document.getElementById(drawing.dataset.vegaSpec);
  if (!source || typeof window.vegaEmbed !== "function") continue;
  const spec = JSON.parse(source.textContent);
  window.vegaEmbed(drawing, spec, options).catch(() => {});
}
