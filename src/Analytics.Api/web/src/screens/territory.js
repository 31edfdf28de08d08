// A territory's page, addressable (#/territoire/commune/01001): its published health figures beside its EPCI,
// département and région with intervals, their series drawn by the API, its exposures with their coverage, its
// socio-economic profile, local and scan clusters, the cumulative index, each approved model's risk with its top
// factors and provenance, and a comment to the reviewers. Everything comes from the API after statistical secrecy.
import { $, element, fillSelect, screenLink, table } from "../dom.js";
import { formatDate, formatNumber, label, language, words } from "../i18n.js";
import { getJson, post, problemText } from "../http.js";
import { app, catalogue, opens, term } from "../server.js";

const texts = {
  fr: {
    levels: { commune: "Commune", epci: "Intercommunalité (EPCI)", departement: "Département", region: "Région", whole: "Ensemble des territoires" },
    notFound: "Territoire inconnu.", back: "Retour à la carte", ancestors: "Territoires parents", area: (km2) => `Superficie : ${formatNumber(km2, 1)} km²`,
    statistic: "Statistique", health: "Indicateurs de santé publiés",
    compared: (what, condition, period) => `${condition} — ${what}, ${period}, face aux territoires parents et à l'ensemble`,
    columns: ["Territoire", "Valeur", "Intervalle à 95 %", "État", "Écart significatif"], yes: "oui", no: "non",
    seriesAlt: (condition, name) => `Évolution de ${condition} pour ${name} et ses territoires parents, avec intervalles à 95 %`,
    exportCsv: "Tous les indicateurs de santé du territoire (CSV)", source: (s) => `Source : ${s.source ?? ""} — ${s.licence ?? ""}, chargé le ${s.loadedAt ? formatDate(s.loadedAt) : "—"}.`,
    exposures: "Expositions environnementales et animales", socio: "Profil socio-économique",
    exposureColumns: ["Indicateur", "Période", "Valeur", "Méthode", "Couverture ou distance"], none: "Aucune donnée publiée pour ce territoire.",
    valueColumns: ["Indicateur", "Période", "Valeur"], loaded: "valeur du territoire",
    methods: { population: "moyenne pondérée par la population", area: "moyenne pondérée par la surface", idw: "interpolation des stations (inverse de la distance)",
      nearest: "station la plus proche", lisa: "LISA (Moran local)", gi_star: "Gi* (Getis-Ord)" },
    localClusters: "Grappes locales, dernière période", scanClusters: "Grappes du balayage spatial contenant le territoire",
    clusters: "Grappes locales (LISA, Gi*) et grappes du balayage spatial",
    categories: { HighHigh: "élevé entouré d'élevés", LowLow: "faible entouré de faibles", HighLow: "élevé parmi des faibles", LowHigh: "faible parmi des élevés",
      HotSpot: "point chaud", ColdSpot: "point froid", NotSignificant: "non significatif", Island: "sans voisin" }, clusterColumns: ["Indicateur", "Méthode", "Période", "Catégorie", "p", "État"],
    scanColumns: ["Indicateur", "Rang", "Périodes", "Risque relatif", "p", "État"],
    index: "Indice cumulé", indexText: (i) => `Score ${formatNumber(i.score)}, percentile ${formatNumber(i.percentile, 0)}, intervalle de rang ${i.rankInterval ?? "—"}.`,
    risk: "Risque modélisé approuvé", noRisk: "Aucune publication approuvée en vigueur pour ce modèle : rien n'est servi avant la relecture humaine.",
    riskOnlyCommunes: "Les modèles de risque portent sur les communes.",
    riskText: (p) => `Année ${p.period} : RSI prédit ${formatNumber(p.predictedSir)}, ${formatNumber(p.predicted, 1)} cas attendus (intervalle à 90 % : ${formatNumber(p.intervalLow, 0)} – ${formatNumber(p.intervalHigh, 0)}), rang de priorité ${p.priorityRank ?? "—"}.`,
    factors: "Facteurs les plus contributifs", factorColumns: ["Facteur", "Contribution"],
    provenance: (r) => `Publication ${r.releaseId}, entraînement ${r.runId}, modèle ${r.champion ?? r.model}, approuvée par ${r.approvedBy} le ${formatDate(r.approvedAt)}, données ${r.datasetVersion ?? "—"}.`,
    comment: "Signaler une remarque aux relecteurs sur ce territoire", commentLabel: "Votre remarque (elle devient un élément de revue à traiter avant la prochaine publication)",
    send: "Envoyer aux relecteurs", sent: "Remarque transmise : elle devra être traitée avant la prochaine publication.",
    children: (n) => `Subdivisions (${n})`,
  },
  en: {
    levels: { commune: "Commune", epci: "Inter-municipal body (EPCI)", departement: "Département", region: "Region", whole: "All territories" },
    notFound: "Unknown territory.", back: "Back to the map", ancestors: "Ancestors", area: (km2) => `Area: ${formatNumber(km2, 1)} km²`,
    statistic: "Statistic", health: "Published health indicators",
    compared: (what, condition, period) => `${condition} — ${what}, ${period}, beside the ancestors and the whole`,
    columns: ["Territory", "Value", "95% interval", "State", "Significant difference"], yes: "yes", no: "no",
    seriesAlt: (condition, name) => `${condition} over time for ${name} and its ancestors, with 95% intervals`,
    exportCsv: "All the territory's health figures (CSV)", source: (s) => `Source: ${s.source ?? ""} — ${s.licence ?? ""}, loaded on ${s.loadedAt ? formatDate(s.loadedAt) : "—"}.`,
    exposures: "Environmental and animal exposures", socio: "Socio-economic profile",
    exposureColumns: ["Indicator", "Period", "Value", "Method", "Coverage or distance"], none: "No published data for this territory.",
    valueColumns: ["Indicator", "Period", "Value"], loaded: "territory's value",
    methods: { population: "population-weighted mean", area: "area-weighted mean", idw: "station interpolation (inverse distance)",
      nearest: "nearest station", lisa: "LISA (local Moran)", gi_star: "Gi* (Getis-Ord)" },
    localClusters: "Local clusters, latest period", scanClusters: "Scan clusters holding the territory",
    clusters: "Local clusters (LISA, Gi*) and scan clusters",
    categories: { HighHigh: "high among high", LowLow: "low among low", HighLow: "high among low", LowHigh: "low among high",
      HotSpot: "hot spot", ColdSpot: "cold spot", NotSignificant: "not significant", Island: "no neighbour" }, clusterColumns: ["Indicator", "Method", "Period", "Category", "p", "State"],
    scanColumns: ["Indicator", "Rank", "Periods", "Relative risk", "p", "State"],
    index: "Cumulative index", indexText: (i) => `Score ${formatNumber(i.score)}, percentile ${formatNumber(i.percentile, 0)}, rank interval ${i.rankInterval ?? "—"}.`,
    risk: "Approved modelled risk", noRisk: "No approved release in force for this model: nothing is served before human review.",
    riskOnlyCommunes: "Risk models are about communes.",
    riskText: (p) => `Year ${p.period}: predicted SIR ${formatNumber(p.predictedSir)}, ${formatNumber(p.predicted, 1)} expected cases (90% interval: ${formatNumber(p.intervalLow, 0)} – ${formatNumber(p.intervalHigh, 0)}), priority rank ${p.priorityRank ?? "—"}.`,
    factors: "Largest contributing factors", factorColumns: ["Factor", "Contribution"],
    provenance: (r) => `Release ${r.releaseId}, run ${r.runId}, model ${r.champion ?? r.model}, approved by ${r.approvedBy} on ${formatDate(r.approvedAt)}, data ${r.datasetVersion ?? "—"}.`,
    comment: "Tell the reviewers about this territory", commentLabel: "Your remark (it becomes a review item to settle before the next release)",
    send: "Send to the reviewers", sent: "Remark sent: it must be settled before the next release.",
    children: (n) => `Subdivisions (${n})`,
  },
};
const t = () => words(texts);
let current = { level: null, code: null, statistic: "sir" };

/**
 * Reads what the page shows once per territory: its card, health figures and profile, the catalogue, and each model
 * in force's explanation of it. A change of statistic reads only the comparisons; a change of language reads nothing.
 */
export async function open([level, code]) {
  // An address without a level and a code (#/territoire) names no territory: nothing to ask the API.
  if (!level || !code) {
    current = { ...current, level, code, card: null };
    await render();
    return;
  }
  const base = `/api/territories/${encodeURIComponent(level)}/${encodeURIComponent(code)}`;
  const [card, health, profile, indicators, models] = await Promise.all([
    getJson(base), getJson(`${base}/health`), getJson(`${base}/profile`), catalogue(), getJson("/api/models"),
  ]);
  const explained = await Promise.all((models ?? []).map(m => (m.inForce && card?.level === "commune"
    ? getJson(`/api/models/${encodeURIComponent(m.code)}/territories/${encodeURIComponent(card.code)}`) : null)));
  current = {
    ...current, level, code, base, card, health, profile, compared: new Map(),
    indicators: new Map(indicators.map(i => [i.code, i])), models: (models ?? []).map((model, i) => ({ model, explained: explained[i] })),
  };
  await render();
}

/** Each condition's figure beside the ancestors, for the statistic on display (read once per statistic). */
async function comparisons() {
  if (!current.compared.has(current.statistic)) {
    const conditions = [...new Set((current.health?.figures ?? []).map(f => f.condition))];
    const rows = await Promise.all(conditions.map(c => getJson(`${current.base}/compare?condition=${encodeURIComponent(c)}&statistic=${current.statistic}`)));
    current.compared.set(current.statistic, conditions.map((condition, i) => ({ condition, rows: rows[i] ?? [] })));
  }
  return current.compared.get(current.statistic);
}

const stateName = (id) => term(app.states, id);
const interval = (low, high) => (low === null || low === undefined ? "—" : `${formatNumber(low)} – ${formatNumber(high)}`);

export async function render() {
  const page = $("territory-content");
  const { base, card, health, profile, indicators } = current;
  if (!card) {
    page.replaceChildren(element("h2", t().notFound, { tabindex: "-1" }), element("p").appendChild(screenLink(t().back, "carte")).parentNode);
    page.querySelector("h2").focus();
    return;
  }
  const parts = [element("h2", `${card.name} (${card.code}) — ${t().levels[card.level] ?? card.level}`, { tabindex: "-1", id: "territory-title" })];
  const facts = element("p");
  facts.append(screenLink(t().back, "carte"), ` · ${t().area(card.areaKm2)}`);
  parts.push(facts);
  if (card.ancestors?.length) {
    const nav = element("nav", undefined, { "aria-label": t().ancestors });
    const list = nav.appendChild(element("ul", undefined, { class: "inline" }));
    for (const a of card.ancestors) list.append(element("li").appendChild(screenLink(`${a.name} (${t().levels[a.level] ?? a.level})`, `territoire/${a.level}/${encodeURIComponent(a.code)}`)).parentNode);
    parts.push(nav);
  }
  parts.push(...await healthSection(base, card, health, indicators));
  parts.push(...profileSections(profile, indicators));
  parts.push(...riskSection(card, indicators));
  if (card.children?.length) {
    const details = element("details");
    details.append(element("summary", t().children(card.children.length)));
    const list = details.appendChild(element("ul", undefined, { class: "columns" }));
    for (const c of card.children) list.append(element("li").appendChild(screenLink(`${c.name} (${c.code})`, `territoire/${c.level}/${encodeURIComponent(c.code)}`)).parentNode);
    parts.push(details);
  }
  page.replaceChildren(...parts);
  page.querySelector("h2").focus();
}

/** Each condition's figure beside the ancestors for its latest period, and its series as the API draws it. */
async function healthSection(base, card, health, indicators) {
  const section = [element("h3", t().health)];
  const controls = element("p", undefined, { class: "controls" });
  const select = element("select", undefined, { id: "territory-statistic" });
  fillSelect(select, app.statistics.map(s => [s.id, s[language()]]), current.statistic);
  select.addEventListener("change", () => { current.statistic = select.value; render(); });
  const selectLabel = element("label", undefined);
  selectLabel.append(element("span", t().statistic), " ", select);
  controls.append(selectLabel);
  section.push(controls);
  for (const { condition, rows } of await comparisons()) {
    const period = rows.map(r => r.period).sort().at(-1);
    const name = label(indicators.get(condition)) || condition;
    const block = element("section", undefined, { class: "condition", "aria-label": name });
    block.append(element("h4", name));
    block.append(table(t().compared(term(app.statistics, current.statistic), name, period ?? "—"), t().columns,
      rows.filter(r => r.period === period).map(r => [
        { text: r.level === "whole" ? t().levels.whole : `${r.name} (${t().levels[r.level] ?? r.level})`, header: true }, { text: formatNumber(r.value), number: true },
        { text: interval(r.low, r.high), number: true }, stateName(r.state),
        r.depth === 0 ? "" : r.differsFromTerritory === true ? t().yes : r.differsFromTerritory === false ? t().no : "—"]),
      { class: "comparison", "data-condition": condition }));
    block.append(element("img", undefined, {
      src: `${base}/charts/series?condition=${encodeURIComponent(condition)}&statistic=${current.statistic}&lang=${language()}`,
      alt: t().seriesAlt(name, card.name), class: "chart", loading: "lazy",
    }));
    section.push(block);
  }
  if (health) {
    const links = element("p");
    links.append(element("a", t().exportCsv, { href: `${base}/health.csv`, id: "territory-export-csv", download: "" }), " ", t().source(health));
    section.push(links);
  }
  return section;
}

/** The latest period of each item, by a key (an exposure's indicator and method, a cluster's condition and method). */
function latest(items, key) {
  const kept = new Map();
  for (const item of items) if (!kept.has(key(item)) || kept.get(key(item)).period < item.period) kept.set(key(item), item);
  return [...kept.values()];
}

function profileSections(profile, indicators) {
  const name = (code) => label(indicators.get(code)) || code;
  const inDomains = (code, domains) => domains.includes(indicators.get(code)?.domain);
  const exposures = latest(profile?.exposures ?? [], e => `${e.indicator}|${e.method}`).filter(e => inDomains(e.indicator, ["environment", "animal"]))
    .map(e => [{ text: name(e.indicator), header: true }, e.period, { text: formatNumber(e.value), number: true }, t().methods[e.method] ?? e.method ?? "", { text: formatNumber(e.coverageOrDistance), number: true }]);
  const values = (domains) => (profile?.values ?? []).filter(v => inDomains(v.indicator, domains))
    .map(v => [{ text: name(v.indicator), header: true }, v.period, { text: v.label ?? formatNumber(v.value), number: v.label === null }]);
  const parts = [element("h3", t().exposures)];
  const environment = [...exposures, ...values(["environment", "animal"]).map(([n, p, v]) => [n, p, v, t().loaded, ""])];
  parts.push(environment.length ? table(t().exposures, t().exposureColumns, environment) : element("p", t().none));
  const socio = values(["socio-economic"]);
  parts.push(element("h3", t().socio), socio.length ? table(t().socio, t().valueColumns, socio) : element("p", t().none));
  const clusters = latest(profile?.clusters ?? [], c => `${c.condition}|${c.method}`)
    .map(c => [name(c.condition), t().methods[c.method] ?? c.method, c.period, c.category ? t().categories[c.category] ?? c.category : "—", { text: formatNumber(c.pValue, 3), number: true }, stateName(c.state)]);
  const scans = (profile?.scanClusters ?? []).map(s => [name(s.condition), { text: String(s.rank), number: true }, s.periods, { text: formatNumber(s.relativeRisk), number: true }, { text: formatNumber(s.pValue, 3), number: true }, stateName(s.state)]);
  parts.push(element("h3", t().clusters));
  if (clusters.length) parts.push(table(t().localClusters, t().clusterColumns, clusters));
  if (scans.length) parts.push(table(t().scanClusters, t().scanColumns, scans));
  if (!clusters.length && !scans.length) parts.push(element("p", t().none));
  if (profile?.cumulativeIndex) parts.push(element("h3", t().index), element("p", t().indexText(profile.cumulativeIndex)));
  return parts;
}

/** Each model's approved risk for the commune: latest year, its largest factors, where it comes from, and a comment. */
function riskSection(card, indicators) {
  const parts = [element("h3", t().risk)];
  if (card.level !== "commune") { parts.push(element("p", t().riskOnlyCommunes)); return parts; }
  for (const { model, explained } of current.models) {
    parts.push(element("h4", label(model)));
    const latest = explained?.periods?.slice().sort((a, b) => a.period.localeCompare(b.period)).at(-1);
    if (!latest) { parts.push(element("p", t().noRisk)); continue; }
    parts.push(element("p", t().riskText(latest), { "data-model": model.code }));
    const factors = Object.entries(latest.contributions ?? {}).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 3);
    if (factors.length) parts.push(table(t().factors, t().factorColumns, factors.map(([factor, value]) => [{ text: label(indicators.get(factor)) || factor, header: true }, { text: formatNumber(value, 3), number: true }])));
    parts.push(element("p", t().provenance(explained.release), { class: "provenance" }));
    if (opens("comment")) parts.push(commentForm(model, card));
  }
  return parts;
}

function commentForm(model, card) {
  const form = element("form", undefined, { novalidate: "", class: "comment" });
  const id = `comment-${model.code}`;
  const text = element("textarea", undefined, { id, name: "comment" });
  const outcome = element("p", "", { role: "status", id: `${id}-outcome` });
  const send = element("button", t().send, { type: "submit" });
  form.append(element("h5", t().comment), element("label", t().commentLabel, { for: id }), text, send, outcome);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await post(`/api/models/${encodeURIComponent(model.code)}/comments`, { territory: card.code, comment: text.value });
    outcome.className = response.ok ? "ok" : "error";
    outcome.textContent = response.ok ? t().sent : await problemText(response, language());
    if (response.ok) text.value = "";
  });
  return form;
}
