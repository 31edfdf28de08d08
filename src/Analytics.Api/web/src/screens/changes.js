// The map of changes on the review desk: each commune coloured by how its predicted SIR moved against the release it
// is compared with (down, about the same, up), the communes entering the priority list outlined, those leaving it
// dashed; the legend counts each class in words, and the table of largest changes beside it carries the figures.
import { element } from "../dom.js";
import { formatNumber, words } from "../i18n.js";
import { communeMap } from "./communes-map.js";

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

function draw(container, classes) {
  communeMap(container, new Map(classes.map(({ row, change }) => [row.code, change])), colours, new Map(classes.flatMap(({ row }) =>
    row.rankAfter !== null && row.rankBefore === null ? [[row.code, "solid"]] : row.rankBefore !== null && row.rankAfter === null ? [[row.code, "dashed"]] : [])));
}
