// The fairness verdicts of a release per group, as the review desk shows them: a chart of the metric that decides each
// group's verdict (its ratio to the reference group with its interval, on a log scale, the tolerance band shaded, the
// verdict written beside each row so colour is not alone), then every metric of every group in a folded table.
import { element, table } from "../dom.js";
import { formatNumber, words } from "../i18n.js";
import { app, term } from "../server.js";

const texts = {
  fr: {
    chartTitle: "Ratio au groupe de référence de l'indicateur qui décide du verdict de chaque groupe",
    chartDescription: (low, high) => `Échelle logarithmique ; bande : tolérance de ${formatNumber(low)} à ${formatNumber(high)} ; trait : intervalle à 95 %.`,
    allMetrics: (n) => `Tous les indicateurs de tous les groupes (${n} lignes)`,
    caption: "Indicateurs d'équité par groupe : ratio au groupe de référence et intervalle à 95 %",
    columns: ["Dimension", "Groupe", "Territoires", "Indicateur", "Ratio", "Intervalle à 95 %", "Verdict"], reference: "référence",
  },
  en: {
    chartTitle: "Ratio to the reference group of the metric that decides each group's verdict",
    chartDescription: (low, high) => `Log scale; band: tolerance from ${formatNumber(low)} to ${formatNumber(high)}; line: 95% interval.`,
    allMetrics: (n) => `Every metric of every group (${n} rows)`,
    caption: "Fairness metrics per group: ratio to the reference group and 95% interval",
    columns: ["Dimension", "Group", "Territories", "Metric", "Ratio", "95% interval", "Verdict"], reference: "reference",
  },
};
const t = () => words(texts);

/** The words of a fairness dimension, group or metric; intersections ("a × b") are named part by part. */
export const fairnessName = (kind, id) => String(id).split(" × ").map(part => term(app.fairness?.[kind] ?? [], part)).join(" × ");

const severity = { fail: 4, insufficient_evidence: 3, warn: 2, pass: 1, not_judged: 0 };
const colours = { fail: "#ce0500", insufficient_evidence: "#555", warn: "#8a5a00", pass: "#18753c", not_judged: "#0550ae" };
const svgNs = "http://www.w3.org/2000/svg";

function svg(tag, attributes, text) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The metric deciding a group's verdict: the most severe one, and among those the farthest from parity. */
function deciding(group) {
  const distance = (m) => (m.ratio ? Math.abs(Math.log(m.ratio)) : 0);
  return [...group.metrics].filter(m => m.verdict !== "not_judged")
    .sort((a, b) => severity[b.verdict] - severity[a.verdict] || distance(b) - distance(a))[0];
}

export function fairnessChart(summary) {
  const rows = summary.dimensions.flatMap(d => d.groups.filter(g => !g.isReference).map(g => ({ d, g, m: deciding(g) })));
  const width = 1000, left = 420, right = 260, rowHeight = 24, top = 10;
  const height = top + rows.length * rowHeight + 30;
  const { lower, upper } = summary.tolerance;
  const drawn = rows.filter(r => r.m?.ratio);
  const min = Math.min(lower / 1.5, ...drawn.map(r => Math.max(r.m.lower ?? r.m.ratio, 0.05)));
  const max = Math.max(upper * 1.5, ...drawn.map(r => Math.min(r.m.upper ?? r.m.ratio, 20)));
  const x = (v) => left + (Math.log(Math.min(Math.max(v, min), max)) - Math.log(min)) / (Math.log(max) - Math.log(min)) * (width - left - right);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "fairness-chart-title fairness-chart-desc", id: "fairness-chart", class: "chart" });
  chart.append(svg("title", { id: "fairness-chart-title" }, t().chartTitle), svg("desc", { id: "fairness-chart-desc" }, t().chartDescription(lower, upper)));
  chart.append(svg("rect", { x: x(lower), y: top, width: x(upper) - x(lower), height: rows.length * rowHeight, fill: "#e3f1e6" }));
  for (const tick of [0.25, 0.5, 1, 2, 4].filter(v => v >= min && v <= max)) {
    chart.append(svg("line", { x1: x(tick), x2: x(tick), y1: top, y2: top + rows.length * rowHeight, stroke: tick === 1 ? "#3a3a3a" : "#bbb" }));
    chart.append(svg("text", { x: x(tick), y: height - 10, "text-anchor": "middle", "font-size": 12 }, formatNumber(tick)));
  }
  rows.forEach(({ d, g, m }, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const verdict = m?.verdict ?? g.overall;
    chart.append(svg("text", { x: left - 8, y: y + 4, "text-anchor": "end", "font-size": 12 }, `${fairnessName("dimensions", d.dimension)} : ${fairnessName("groups", g.label)}`));
    if (m?.ratio) {
      if (m.lower !== null && m.upper !== null)
        chart.append(svg("line", { x1: x(m.lower), x2: x(m.upper), y1: y, y2: y, stroke: colours[verdict], "stroke-width": 2 }));
      chart.append(svg("circle", { cx: x(m.ratio), cy: y, r: 4, fill: colours[verdict] }));
    }
    chart.append(svg("text", { x: width - right + 8, y: y + 4, "font-size": 12, fill: colours[verdict] },
      `${term(app.verdicts, verdict)}${m ? ` (${fairnessName("metrics", m.metric)})` : ""}`));
  });
  return chart;
}

export function fairnessRows(summary) {
  const rows = summary.dimensions.flatMap(d => d.groups.flatMap(g => g.metrics.map(m => [
    { text: fairnessName("dimensions", d.dimension), header: true }, `${fairnessName("groups", g.label)}${g.isReference ? ` (${t().reference})` : ""}`,
    { text: formatNumber(g.territories, 0), number: true }, fairnessName("metrics", m.metric), { text: formatNumber(m.ratio, 3), number: true },
    { text: m.lower === null ? "—" : `${formatNumber(m.lower, 3)} – ${formatNumber(m.upper, 3)}`, number: true }, term(app.verdicts, m.verdict)])));
  const details = element("details", undefined, { id: "fairness-details" });
  details.append(element("summary", t().allMetrics(rows.length)), table(t().caption, t().columns, rows));
  return details;
}
