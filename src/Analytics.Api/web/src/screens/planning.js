// Prevention planning (#/planification), from approved releases only: a priority list that explains itself and says by
// which rule it is ordered, the model's known limits beside it; a targeting simulator comparing allocation rules by the
// excess cases they reach and whom they reach; exposure scenarios (avoided cases under the model's association, or a
// published concentration–response function); what changed since the previous release; a page to print for a meeting.
import { $, element, fillSelect, screenLink, table } from "../dom.js";
import { formatDate, formatNumber, label, language, words } from "../i18n.js";
import { getJson, problemText, get } from "../http.js";
import { app, term } from "../server.js";
import { communeMap } from "./communes-map.js";
import { changesMap } from "./changes.js";

const texts = {
  fr: {
    title: "Planification de la prévention", model: "Modèle approuvé", none: "Aucune publication approuvée en vigueur : rien n'est servi avant la relecture humaine.",
    provenance: (r) => `Publication ${r.releaseId} du modèle ${r.model}, entraînement ${r.runId}, approuvée par ${r.approvedBy} le ${formatDate(r.approvedAt)} ; données ${r.datasetVersion.slice(0, 12)}.`,
    filters: "Filtrer la liste", departement: "Département", epci: "EPCI", density: "Densité", quintile: "Quintile de défavorisation", all: "Tous",
    densities: { urban: "urbain", intermediate: "intermédiaire", rural: "rural" },
    rule: "Règle d'ordre", limits: "Limites connues du modèle (fiche du modèle)",
    listCaption: (n, period) => `Liste prioritaire, année ${period} (${formatNumber(n, 0)} communes)`,
    listColumns: ["Rang", "Commune", "Cas en excès attendus", "RSI prédit (intervalle à 90 %)", "RSI enregistré", "Facteurs principaux", "Grappe", "Indice cumulé (rangs)", "Densité, quintile"],
    tooUncertain: "trop incertain pour être classé", more: "Afficher 50 communes de plus",
    clusters: { HighHigh: "élevé entouré d'élevés", LowLow: "faible entouré de faibles", HighLow: "élevé parmi des faibles", LowHigh: "faible parmi des élevés" },
    scan: (rank) => `grappe du balayage n° ${rank}`,
    simulatorTitle: "Simulateur de ciblage", budgetKind: "Budget", byCount: "Nombre de communes", byShare: "Part de la population (%)", amount: "Valeur",
    weights: "Pondération personnalisée (poids par critère, 0 pour l'ignorer)", compare: "Comparer les règles",
    criteria: { excess: "Cas en excès attendus", sir: "RSI prédit", fdep: "Défavorisation sociale (FDep)", apl_gp: "Accessibilité aux médecins généralistes (APL, poids négatif : favoriser les moins bien desservies)" },
    rules: { top_sir: "RSI prédit le plus élevé", top_excess: "Cas en excès les plus nombreux (défaut)", equity_weighted: "Pondérée par la défavorisation",
      access_weighted: "Pondérée par l'accès aux généralistes", planner_weighted: "Pondération personnalisée" },
    ruleColumns: ["Règle", "Communes", "Population couverte", "Cas en excès atteints (intervalle à 90 %)", "Dont trop incertaines"],
    reachCaption: (dimension) => `Qui chaque règle atteint — ${dimension} : part de la population couverte (part de la population totale entre parenthèses)`,
    dimensions: { deprivation_quintile: "quintile de défavorisation", density_class: "densité", territory_type: "outre-mer" },
    overlapCaption: "Recouvrement des sélections (communes en commun, indice de Jaccard)", overlapColumns: ["Règle", "Règle", "En commun", "Jaccard"],
    mapRule: "Carte de la sélection de la règle", selected: "commune sélectionnée", notSelected: "autre commune",
    scenarioTitle: "Scénario d'exposition", indicator: "Exposition", reduction: "Réduction", unit: "Unité", percent: "%", absolute: "valeur absolue",
    scope: "Territoires", everywhere: "Toutes les communes", filtered: "Les communes du filtre de la liste", source: "Association utilisée",
    fromModel: "Coefficient du modèle approuvé", run: "Calculer les cas évités",
    total: (t) => `Cas évités : ${formatNumber(t.value, 1)} (intervalle à 95 % : ${formatNumber(t.low, 1)} – ${formatNumber(t.high, 1)}).`,
    scenarioColumns: ["Commune", "Valeur actuelle", "Réduction", "Cas évités (intervalle à 95 %)"], scenarioCaption: "Les 20 communes où le scénario évite le plus de cas",
    changesTitle: "Ce qui a changé depuis la publication précédente", noPrevious: "Première publication de ce modèle : rien à comparer.",
    changesSummary: (n, enter, leave, beyond) => `${formatNumber(n, 0)} communes comparées : ${enter} entrent dans la liste, ${leave} en sortent, ${beyond} changent au-delà de l'intervalle de la publication précédente.`,
    changesColumns: ["Commune", "RSI avant", "RSI après", "Rang avant", "Rang après", "Au-delà de l'intervalle"], yes: "oui", no: "non",
    changesCaption: "Communes qui entrent, sortent ou changent au-delà de l'intervalle",
    print: "Imprimer la page (A4)", csv: "CSV", contact: (c) => `Contact : ${c.name}, ${c.team} — ${c.email}`,
    sources: "Sources : données de santé pseudonymisées agrégées, expositions et indicateurs socio-économiques chargés ; voir la fiche du modèle.",
  },
  en: {
    title: "Prevention planning", model: "Approved model", none: "No approved release in force: nothing is served before human review.",
    provenance: (r) => `Release ${r.releaseId} of model ${r.model}, run ${r.runId}, approved by ${r.approvedBy} on ${formatDate(r.approvedAt)}; data ${r.datasetVersion.slice(0, 12)}.`,
    filters: "Filter the list", departement: "Département", epci: "EPCI", density: "Density", quintile: "Deprivation quintile", all: "All",
    densities: { urban: "urban", intermediate: "intermediate", rural: "rural" },
    rule: "Ordering rule", limits: "The model's known limits (model card)",
    listCaption: (n, period) => `Priority list, year ${period} (${formatNumber(n, 0)} communes)`,
    listColumns: ["Rank", "Commune", "Expected excess cases", "Predicted SIR (90% interval)", "Recorded SIR", "Main factors", "Cluster", "Cumulative index (ranks)", "Density, quintile"],
    tooUncertain: "too uncertain to rank", more: "Show 50 more communes",
    clusters: { HighHigh: "high among high", LowLow: "low among low", HighLow: "high among low", LowHigh: "low among high" },
    scan: (rank) => `scan cluster no. ${rank}`,
    simulatorTitle: "Targeting simulator", budgetKind: "Budget", byCount: "Number of communes", byShare: "Share of the population (%)", amount: "Value",
    weights: "Own weighting (weight per criterion, 0 to ignore it)", compare: "Compare the rules",
    criteria: { excess: "Expected excess cases", sir: "Predicted SIR", fdep: "Social deprivation (FDep)", apl_gp: "Access to GPs (APL; a negative weight favours the least served)" },
    rules: { top_sir: "Highest predicted SIR", top_excess: "Most excess cases (default)", equity_weighted: "Weighted by deprivation",
      access_weighted: "Weighted by access to GPs", planner_weighted: "Own weighting" },
    ruleColumns: ["Rule", "Communes", "Population covered", "Excess cases reached (90% interval)", "Of which too uncertain"],
    reachCaption: (dimension) => `Whom each rule reaches — ${dimension}: share of the covered population (share of the whole population in brackets)`,
    dimensions: { deprivation_quintile: "deprivation quintile", density_class: "density", territory_type: "overseas" },
    overlapCaption: "Overlap of the selections (communes in common, Jaccard index)", overlapColumns: ["Rule", "Rule", "In common", "Jaccard"],
    mapRule: "Map of the selection of the rule", selected: "selected commune", notSelected: "other commune",
    scenarioTitle: "Exposure scenario", indicator: "Exposure", reduction: "Reduction", unit: "Unit", percent: "%", absolute: "absolute value",
    scope: "Territories", everywhere: "Every commune", filtered: "The communes of the list's filter", source: "Association used",
    fromModel: "Coefficient of the approved model", run: "Compute the avoided cases",
    total: (t) => `Avoided cases: ${formatNumber(t.value, 1)} (95% interval: ${formatNumber(t.low, 1)} – ${formatNumber(t.high, 1)}).`,
    scenarioColumns: ["Commune", "Current value", "Reduction", "Avoided cases (95% interval)"], scenarioCaption: "The 20 communes where the scenario avoids most cases",
    changesTitle: "What changed since the previous release", noPrevious: "First release of this model: nothing to compare with.",
    changesSummary: (n, enter, leave, beyond) => `${formatNumber(n, 0)} communes compared: ${enter} enter the list, ${leave} leave it, ${beyond} change beyond the previous release's interval.`,
    changesColumns: ["Commune", "SIR before", "SIR after", "Rank before", "Rank after", "Beyond the interval"], yes: "yes", no: "no",
    changesCaption: "Communes entering, leaving or changing beyond the interval",
    print: "Print the page (A4)", csv: "CSV", contact: (c) => `Contact: ${c.name}, ${c.team} — ${c.email}`,
    sources: "Sources: pseudonymised aggregated health data, loaded exposures and socio-economic indicators; see the model card.",
  },
};
const t = () => words(texts);
const weightColumns = ["excess", "sir", "fdep", "apl_gp"];

let state = { models: [], model: null, filters: {}, shown: 20, list: null, targeting: null, scenario: null, changes: null, crf: [], budget: { kind: "territories", value: 20 }, weights: { excess: 1, fdep: 1 }, mapRule: "top_excess" };

const base = () => `/api/planning/${encodeURIComponent(state.model)}`;
const filterQuery = () => new URLSearchParams(Object.entries(state.filters).filter(([, v]) => v)).toString();

export async function open() {
  const [models, crf] = await Promise.all([getJson("/api/models"), getJson("/api/planning/concentration-response")]);
  state.models = (models ?? []).filter(m => m.inForce);
  state.crf = crf ?? [];
  state.model ??= state.models[0]?.code ?? null;
  await load();
}

async function load() {
  if (!state.model) { render(); return; }
  const [list, changes] = await Promise.all([getJson(`${base()}/priorities?${filterQuery()}`), getJson(`${base()}/changes`)]);
  Object.assign(state, { list, changes, targeting: null, scenario: null, shown: 20 });
  render();
}

export function render() {
  const heading = element("h2", t().title, { id: "planning-title", tabindex: "-1" });
  const section = $("planning");
  if (!state.model || !state.list) { section.replaceChildren(heading, element("p", t().none)); return; }
  section.replaceChildren(heading, provenanceBlock(), controls(), listSection(), simulatorSection(), scenarioSection(), changesSection());
  heading.focus();
}

function provenanceBlock() {
  const block = element("div", undefined, { class: "provenance", id: "planning-provenance" });
  block.append(element("p", t().provenance(state.list.release)), element("p", t().sources));
  if (app.contact) block.append(element("p", t().contact(app.contact)));
  const print = element("button", t().print, { type: "button", id: "planning-print", class: "no-print" });
  print.addEventListener("click", () => window.print());
  block.append(print);
  return block;
}

function labelled(text, control) {
  const node = element("label");
  node.append(element("span", text), " ", control);
  return node;
}

function controls() {
  const form = element("form", undefined, { class: "controls no-print", id: "planning-filters", "aria-label": t().filters });
  const model = element("select", undefined, { id: "planning-model" });
  fillSelect(model, state.models.map(m => [m.code, label(m)]), state.model);
  model.addEventListener("change", async () => { state.model = model.value; state.filters = {}; await load(); });
  form.append(labelled(t().model, model));
  const options = state.list.filters;
  const places = (list) => list.map(p => [p.code, `${p.name} (${p.code})`]);
  for (const [key, choices] of [["departement", places(options.departements)], ["epci", places(options.epcis)],
    ["density", options.densityClasses.map(v => [v, t().densities[v] ?? v])], ["quintile", ["1", "2", "3", "4", "5"].map(v => [v, v])]]) {
    const select = element("select", undefined, { id: `planning-${key}` });
    fillSelect(select, [["", t().all], ...choices], state.filters[key] ?? "");
    select.addEventListener("change", async () => { state.filters[key] = select.value; await load(); });
    form.append(labelled(t()[key], select));
  }
  return form;
}

const interval = (low, high, digits = 2) => `${formatNumber(low, digits)} – ${formatNumber(high, digits)}`;

function listSection() {
  const list = state.list;
  const rows = list.territories.slice(0, state.shown).map(r => [
    { text: r.rank === null ? t().tooUncertain : String(r.rank), number: r.rank !== null },
    screenLink(`${r.name} (${r.code})`, `territoire/commune/${encodeURIComponent(r.code)}`),
    { text: formatNumber(r.excess, 1), number: true },
    { text: `${formatNumber(r.predictedSir)} (${interval(r.sirLow, r.sirHigh)})`, number: true },
    { text: r.recordedSir !== null ? formatNumber(r.recordedSir) : term(app.states, r.recordedState ?? "missing"), number: r.recordedSir !== null },
    r.factors.map(f => `${label(f)} ${f.percent >= 0 ? "+" : ""}${formatNumber(f.percent, 0)} %`).join(" ; "),
    [r.cluster ? t().clusters[r.cluster] ?? r.cluster : null, r.scan ? t().scan(r.scan) : null].filter(Boolean).join(", ") || "—",
    { text: r.indexRanks ?? "—", number: true },
    `${t().densities[r.densityClass] ?? r.densityClass ?? "—"}, ${r.deprivationQuintile ?? "—"}`]);
  const limits = element("ul", undefined, { id: "planning-limits" });
  for (const limit of list.limits) limits.append(element("li", language() === "fr" ? limit.Fr : limit.En));
  const section = element("section", undefined, { id: "planning-list", "aria-labelledby": "planning-list-title" });
  section.append(element("h3", t().rule, { id: "planning-list-title" }), element("p", list.rule[language()], { id: "planning-rule" }),
    element("h4", t().limits), limits, table(t().listCaption(list.territories.length, list.period), t().listColumns, rows, { id: "planning-table" }));
  const links = element("p", undefined, { class: "no-print" });
  if (state.shown < list.territories.length) {
    const more = element("button", t().more, { type: "button", id: "planning-more" });
    more.addEventListener("click", () => { state.shown += 50; section.replaceWith(listSection()); $("planning-more")?.focus(); });
    links.append(more, " ");
  }
  links.append(element("a", `${t().csv} — ${t().listCaption(list.territories.length, list.period)}`, { href: `${base()}/priorities?${filterQuery()}&format=csv`, download: "" }));
  section.append(links);
  return section;
}

function simulatorSection() {
  const section = element("section", undefined, { id: "targeting", "aria-labelledby": "targeting-title" });
  section.append(element("h3", t().simulatorTitle, { id: "targeting-title" }));
  const form = element("form", undefined, { id: "targeting-form", class: "controls no-print", novalidate: "" });
  const kind = element("select", undefined, { id: "targeting-kind" });
  fillSelect(kind, [["territories", t().byCount], ["populationShare", t().byShare]], state.budget.kind);
  const amount = element("input", undefined, { id: "targeting-amount", type: "number", min: "1", step: "any", value: String(state.budget.value) });
  form.append(labelled(t().budgetKind, kind), labelled(t().amount, amount));
  const weights = element("fieldset", undefined, { class: "controls" });
  weights.append(element("legend", t().weights));
  const inputs = {};
  for (const column of weightColumns) {
    inputs[column] = element("input", undefined, { id: `weight-${column}`, type: "number", step: "any", value: String(state.weights[column] ?? 0) });
    weights.append(labelled(t().criteria[column], inputs[column]));
  }
  form.append(weights, element("button", t().compare, { type: "submit" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    state.budget = { kind: kind.value, value: Number(amount.value) };
    state.weights = Object.fromEntries(weightColumns.map(c => [c, Number(inputs[c].value) || 0]));
    state.targeting = await getJson(`${base()}/targeting?${targetingQuery()}`);
    section.replaceWith(simulatorSection());
    $("targeting-results")?.querySelector("caption")?.focus();
  });
  section.append(form);
  if (state.targeting) section.append(...targetingResults(state.targeting));
  return section;
}

function targetingQuery() {
  const params = new URLSearchParams(filterQuery());
  params.set(state.budget.kind, state.budget.kind === "populationShare" ? String(state.budget.value / 100) : String(state.budget.value));
  params.set("weights", Object.entries(state.weights).filter(([, w]) => w !== 0).map(([c, w]) => `${c}:${w}`).join(","));
  return params.toString();
}

function targetingResults(result) {
  const parts = [];
  const rules = table(t().simulatorTitle, t().ruleColumns, result.rules.map(r => [
    { text: t().rules[r.rule] ?? r.rule, header: true }, { text: formatNumber(r.territories, 0), number: true }, { text: formatNumber(r.population, 0), number: true },
    { text: `${formatNumber(r.excess.value, 1)} (${interval(r.excess.low, r.excess.high, 1)})`, number: true }, { text: formatNumber(r.tooUncertain, 0), number: true }]),
    { id: "targeting-results" });
  rules.querySelector("caption").setAttribute("tabindex", "-1");
  parts.push(rules);
  for (const dimension of ["deprivation_quintile", "density_class", "territory_type"]) {
    const groups = [...new Set(result.rules.flatMap(r => r.groups.filter(g => g.dimension === dimension).map(g => g.group)))];
    parts.push(table(t().reachCaption(t().dimensions[dimension]), [t().dimensions[dimension], ...result.rules.map(r => t().rules[r.rule] ?? r.rule)],
      groups.map(group => [{ text: t().densities[group] ?? group, header: true }, ...result.rules.map(r => {
        const g = r.groups.find(x => x.dimension === dimension && x.group === group);
        return { text: g ? `${formatNumber(g.shareCovered * 100, 1)} % (${formatNumber(g.sharePopulation * 100, 1)} %)` : "—", number: true };
      })]), { "data-dimension": dimension, class: "reach" }));
  }
  parts.push(table(t().overlapCaption, t().overlapColumns, result.overlaps.map(o => [t().rules[o.a] ?? o.a, t().rules[o.b] ?? o.b,
    { text: formatNumber(o.shared, 0), number: true }, { text: formatNumber(o.jaccard, 2), number: true }])));
  parts.push(selectionMap(result));
  parts.push(element("p", undefined, { class: "no-print" }).appendChild(element("a", `${t().csv} — ${t().simulatorTitle}`, { href: `${base()}/targeting?${targetingQuery()}&format=csv`, download: "" })).parentNode);
  return parts;
}

function selectionMap(result) {
  const figure = element("figure", undefined, { class: "selection" });
  const select = element("select", undefined, { id: "targeting-map-rule" });
  fillSelect(select, result.rules.map(r => [r.rule, t().rules[r.rule] ?? r.rule]), state.mapRule);
  const container = element("div", undefined, { id: "targeting-map", role: "img", "aria-label": `${t().mapRule} ${t().rules[state.mapRule]}` });
  const draw = () => {
    const rule = result.rules.find(r => r.rule === state.mapRule) ?? result.rules[0];
    container.replaceChildren();
    communeMap(container, new Map(rule.selected.map(code => [code, "selected"])), { selected: "#b2182b" });
  };
  select.addEventListener("change", () => { state.mapRule = select.value; container.setAttribute("aria-label", `${t().mapRule} ${t().rules[state.mapRule]}`); draw(); });
  const legend = element("p");
  const swatch = element("span", undefined, { class: "swatch" });
  swatch.style.background = "#b2182b";
  legend.append(swatch, ` ${t().selected}`);
  figure.append(element("p", undefined, { class: "controls no-print" }).appendChild(labelled(t().mapRule, select)).parentNode, container, element("figcaption").appendChild(legend).parentNode);
  queueMicrotask(draw);
  return figure;
}

function scenarioSection() {
  const section = element("section", undefined, { id: "scenario", "aria-labelledby": "scenario-title" });
  section.append(element("h3", t().scenarioTitle, { id: "scenario-title" }));
  const form = element("form", undefined, { id: "scenario-form", class: "controls no-print", novalidate: "" });
  const indicator = element("select", undefined, { id: "scenario-indicator" });
  fillSelect(indicator, state.list.covariates.map(c => [c.code, label(c)]), state.scenario?.indicator);
  const amount = element("input", undefined, { id: "scenario-amount", type: "number", step: "any", min: "0", value: "10" });
  const unit = element("select", undefined, { id: "scenario-unit" });
  fillSelect(unit, [["percent", t().percent], ["absolute", t().absolute]], "percent");
  const scope = element("select", undefined, { id: "scenario-scope" });
  fillSelect(scope, [["everywhere", t().everywhere], ["filtered", t().filtered]], "everywhere");
  const source = element("select", undefined, { id: "scenario-source" });
  const fillSources = () => fillSelect(source, [["model", t().fromModel], ...state.crf.filter(c => c.exposure === indicator.value).map(c => [c.code, `${label(c.outcome)} — ${c.source}`])], "model");
  fillSources();
  indicator.addEventListener("change", fillSources);
  form.append(labelled(t().indicator, indicator), labelled(t().reduction, amount), labelled(t().unit, unit), labelled(t().scope, scope), labelled(t().source, source),
    element("button", t().run, { type: "submit" }));
  const outcome = element("p", "", { role: "alert", class: "error", id: "scenario-error" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const params = new URLSearchParams(scope.value === "filtered" ? filterQuery() : "");
    for (const [key, value] of [["indicator", indicator.value], ["reduction", amount.value], ["unit", unit.value], ["source", source.value]]) params.set(key, value);
    const response = await get(`${base()}/scenario?${params}`);
    if (!response.ok) { outcome.textContent = await problemText(response, language()); return; }
    state.scenario = { ...(await response.json()), query: params.toString() };
    section.replaceWith(scenarioSection());
    $("scenario-total")?.focus();
  });
  section.append(form, outcome);
  if (state.scenario) {
    const s = state.scenario;
    section.append(element("p", t().total(s.total), { id: "scenario-total", tabindex: "-1", class: "figure" }),
      element("p", s.association.description[language()]), element("p", s.caveat[language()], { class: "note" }),
      table(t().scenarioCaption, t().scenarioColumns, s.territories.slice(0, 20).map(r => [
        { text: `${r.name} (${r.code})`, header: true }, { text: formatNumber(r.current, 2), number: true }, { text: formatNumber(r.delta, 2), number: true },
        { text: `${formatNumber(r.avoided, 2)} (${interval(r.low, r.high)})`, number: true }]), { id: "scenario-table" }),
      element("p", undefined, { class: "no-print" }).appendChild(element("a", `${t().csv} — ${t().scenarioTitle}`, { href: `${base()}/scenario?${s.query}&format=csv`, download: "" })).parentNode);
  }
  return section;
}

function changesSection() {
  const section = element("section", undefined, { id: "planning-changes", "aria-labelledby": "planning-changes-title" });
  section.append(element("h3", t().changesTitle, { id: "planning-changes-title" }));
  const rows = state.changes?.territories ?? [];
  if (rows.length === 0) { section.append(element("p", t().noPrevious)); return section; }
  const entering = rows.filter(r => r.rankAfter !== null && r.rankBefore === null);
  const leaving = rows.filter(r => r.rankBefore !== null && r.rankAfter === null);
  const beyond = rows.filter(r => r.beyondInterval);
  const shown = rows.filter(r => entering.includes(r) || leaving.includes(r) || r.beyondInterval);
  section.append(element("p", t().changesSummary(rows.length, entering.length, leaving.length, beyond.length), { id: "planning-changes-summary" }), changesMap(rows),
    table(t().changesCaption, t().changesColumns, shown.map(r => [{ text: `${r.name} (${r.code})`, header: true },
      { text: formatNumber(r.before, 3), number: true }, { text: formatNumber(r.after, 3), number: true },
      { text: r.rankBefore ?? "—", number: true }, { text: r.rankAfter ?? "—", number: true }, r.beyondInterval ? t().yes : t().no])));
  return section;
}
