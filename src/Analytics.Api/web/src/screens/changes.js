// The map of changes on the review desk: each commune coloured by how its predicted SIR moved against the release it
// is compared with (down, about the same, up), the communes entering the priority list outlined, those leaving it
// dashed; the legend counts each class in words, and the table of largest changes beside it carries the figures.
import { element } from "../dom.js";
import { formatNumber, words } from "../i18n.js";
import { getJson } from "../http.js";

const texts = {
  fr: {
    label: "Carte des changements du RSI prédit par commune",
    classes: { down: "baisse de plus de 10 %", same: "à 10 % près", up: "hausse de plus de 10 %" },
    entering: "entre dans la liste prioritaire (contour plein)", leaving: "sort de la liste prioritaire (contour tireté)",
    count: (n) => `${formatNumber(n, 0)} communes`,
  },
  en: {
    label: "Map of the changes of predicted SIR per commune",
    classes: { down: "down by more than 10%", same: "within 10%", up: "up by more than 10%" },
    entering: "enters the priority list (solid outline)", leaving: "leaves the priority list (dashed outline)",
    count: (n) => `${formatNumber(n, 0)} communes`,
  },
};
const t = () => words(texts);
const colours = { down: "#2166ac", same: "#c4c4c4", up: "#b2182b" };

function changeClass(row) {
  const ratio = row.after / row.before;
  return ratio > 1.1 ? "up" : ratio < 1 / 1.1 ? "down" : "same";
}

/** The map and its legend for the changes of a release ([] when it was compared with nothing: no map). */
export function changesMap(changes) {
  const frame = element("figure", undefined, { class: "changes" });
  const container = element("div", undefined, { id: "changes-map", role: "img", "aria-label": t().label, "data-state": "loading" });
  const counts = { down: 0, same: 0, up: 0 };
  const classes = changes.map(row => ({ row, change: changeClass(row) }));
  for (const { change } of classes) counts[change]++;
  const legend = element("ul", undefined, { class: "inline legend", id: "changes-legend" });
  for (const kind of ["down", "same", "up"]) {
    const swatch = element("span", undefined, { class: "swatch", "data-colour": kind });
    swatch.style.background = colours[kind];
    legend.append(element("li").appendChild(swatch).parentNode);
    legend.lastChild.append(` ${t().classes[kind]} : ${t().count(counts[kind])}`);
  }
  const entering = changes.filter(r => r.rankAfter !== null && r.rankBefore === null).length;
  const leaving = changes.filter(r => r.rankBefore !== null && r.rankAfter === null).length;
  legend.append(element("li", `${t().entering} : ${t().count(entering)}`), element("li", `${t().leaving} : ${t().count(leaving)}`));
  frame.append(container, element("figcaption").appendChild(legend).parentNode);
  draw(container, classes);
  return frame;
}

async function draw(container, classes) {
  const [library, bounds] = await Promise.all([import("/vendor/maplibre/maplibre-gl.mjs"), getJson("/tiles/commune.json")]);
  const map = new library.Map({
    container, attributionControl: false, bounds: bounds.bounds, fitBoundsOptions: { padding: 10 },
    style: {
      version: 8,
      sources: {
        communes: { type: "vector", tiles: [`${location.origin}/tiles/commune/{z}/{x}/{y}.mvt?properties=state`], minzoom: 0, maxzoom: 14, promoteId: "code" },
        departements: { type: "vector", tiles: [`${location.origin}/tiles/departement/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 14 },
      },
      layers: [
        { id: "background", type: "background", paint: { "background-color": "#f6f6f6" } },
        { id: "change", type: "fill", source: "communes", "source-layer": "territories",
          paint: { "fill-color": ["match", ["coalesce", ["feature-state", "change"], ""], ...Object.entries(colours).flat(), "rgba(0, 0, 0, 0)"] } },
        { id: "entering", type: "line", source: "communes", "source-layer": "territories",
          paint: { "line-color": "#1b1b1b", "line-width": ["case", ["boolean", ["feature-state", "entering"], false], 2.5, 0] } },
        { id: "leaving", type: "line", source: "communes", "source-layer": "territories",
          paint: { "line-color": "#1b1b1b", "line-dasharray": [2, 1], "line-width": ["case", ["boolean", ["feature-state", "leaving"], false], 2.5, 0] } },
        { id: "departements", type: "line", source: "departements", "source-layer": "territories", paint: { "line-color": "#1b1b1b", "line-width": 1 } },
      ],
    },
  });
  map.once("style.load", () => {
    for (const { row, change } of classes)
      map.setFeatureState({ source: "communes", sourceLayer: "territories", id: row.code },
        { change, entering: row.rankAfter !== null && row.rankBefore === null, leaving: row.rankBefore !== null && row.rankAfter === null });
  });
  map.once("idle", () => { container.dataset.state = "ready"; });
}
