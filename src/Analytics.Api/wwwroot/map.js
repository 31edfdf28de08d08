// The map explorer: a published health figure of every territory of a level, as a choropleth over the service's own
// vector tiles (MapLibre, vendored by scripts/web.sh: nothing is requested from another host), a legend that names the
// classification and the period, withheld figures drawn with a pattern and named, a table equivalent to the map, and
// a territory's figures on click. Figures come from the API after statistical secrecy; the page computes nothing else.
import { Map as MapLibreMap } from "./vendor/maplibre/maplibre-gl.mjs";

const words = {
  fr: {
    statistics: { sir: "Ratio standardisé d'incidence (SIR)", standardised_rate: "Taux standardisé pour 100 000", crude_rate: "Taux brut pour 100 000", smoothed_rr: "Risque relatif lissé" },
    levels: { commune: "Communes", epci: "Intercommunalités (EPCI)", departement: "Départements", region: "Régions" },
    states: { suppressed: "secret statistique", missing: "donnée manquante", unreliable: "peu fiable" },
    method: (period, classes) => `Quantiles des valeurs publiées (${classes} classes, zéro à part), période ${period}.`,
    caption: (level, count, withheld) => `${level} : ${count} territoires, dont ${withheld} sans valeur publiée. Trié par`,
    code: "Code", name: "Nom", value: "Valeur", interval: "Intervalle à 95 %", state: "État", open: "Voir",
    published: "publié", mapLabel: (what) => `Carte : ${what}. Le tableau ci-dessous donne les mêmes valeurs.`,
    panelTitle: (name) => `${name}`, close: "Fermer", and: "et",
    pageOf: (page, pages) => `Page ${page} sur ${pages}.`, previous: "Page précédente", next: "Page suivante",
    comparedCaption: (what, period) => `${what}, ${period}, face aux territoires parents`, territory: "Territoire", differs: "Écart significatif",
    yes: "oui", no: "non", source: "Source", seriesAlt: (what, name) => `Évolution de ${what} pour ${name} et ses territoires parents, avec intervalles à 95 %`,
  },
  en: {
    statistics: { sir: "Standardised incidence ratio (SIR)", standardised_rate: "Standardised rate per 100,000", crude_rate: "Crude rate per 100,000", smoothed_rr: "Smoothed relative risk" },
    levels: { commune: "Communes", epci: "Inter-municipal bodies (EPCI)", departement: "Départements", region: "Regions" },
    states: { suppressed: "statistical secrecy", missing: "missing data", unreliable: "unreliable" },
    method: (period, classes) => `Quantiles of the published values (${classes} classes, zero apart), period ${period}.`,
    caption: (level, count, withheld) => `${level}: ${count} territories, ${withheld} without a published value. Sorted by`,
    code: "Code", name: "Name", value: "Value", interval: "95% interval", state: "State", open: "Open",
    published: "published", mapLabel: (what) => `Map: ${what}. The table below gives the same values.`,
    panelTitle: (name) => `${name}`, close: "Close", and: "and",
    pageOf: (page, pages) => `Page ${page} of ${pages}.`, previous: "Previous page", next: "Next page",
    comparedCaption: (what, period) => `${what}, ${period}, beside the ancestors`, territory: "Territory", differs: "Significant difference",
    yes: "yes", no: "no", source: "Source", seriesAlt: (what, name) => `${what} over time for ${name} and its ancestors, with 95% intervals`,
  },
};

// Sequential, colour-blind safe (ColorBrewer YlGnBu), light to dark; withheld figures get patterns, not only colours.
const colours = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
const state = { language: "fr", condition: null, statistic: "sir", level: "commune", period: null, rows: [], page: 0, sort: { key: "value", descending: true } };
const pageSize = 100; // rows of the table shown at once; the legend and the map cover them all
let map = null;

const $ = (id) => document.getElementById(id);
const t = () => words[state.language];

/** Builds an element with text; the page never inserts HTML it did not write. */
function element(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  return node;
}

function number(value) {
  return value === null ? "—" : new Intl.NumberFormat(state.language === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 2 }).format(value);
}

/** One figure of a level from the CSV export (UTF-8 with BOM, ';', provenance on the first line), one period or all. */
async function loadRows(level, period) {
  const url = `/api/levels/${level}/figures?condition=${encodeURIComponent(state.condition)}&statistic=${state.statistic}`
    + (period ? `&period=${encodeURIComponent(period)}` : "");
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) return [];
  const lines = (await response.text()).replace(/^\uFEFF/, "").split("\n").filter(l => l.length > 0).slice(2);
  return lines.map(line => {
    const [code, name, rowPeriod, value, low, high, figureState] = parseCsvLine(line);
    const asNumber = (text) => (text === "" ? null : Number(text));
    return { code, name, period: rowPeriod, value: asNumber(value), low: asNumber(low), high: asNumber(high), state: figureState };
  });
}

/** One CSV line with ';' and RFC 4180 quotes. */
function parseCsvLine(line) {
  const cells = [];
  let cell = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") { cells.push(cell); cell = ""; }
    else cell += c;
  }
  cells.push(cell);
  return cells;
}

/**
 * Class breaks: quantiles of the published values, at most five classes (fewer when values repeat). Zeros, common for
 * small territories, get a class of their own so that they do not swallow the quantiles.
 */
function breaks(values) {
  const zeros = values.some(v => v === 0);
  const sorted = values.filter(v => !zeros || v > 0).sort((a, b) => a - b);
  const cuts = zeros && sorted.length > 0 ? [sorted[0]] : [];
  const classes = colours.length - cuts.length;
  for (let k = 1; k < classes; k++) {
    const cut = sorted[Math.floor((k * sorted.length) / classes)];
    if (cut !== undefined && (cuts.length === 0 || cut > cuts[cuts.length - 1])) cuts.push(cut);
  }
  return { cuts, zeros };
}

function periodRows() {
  return state.rows.filter(r => r.period === state.period);
}

function tileUrl() {
  const query = `condition=${encodeURIComponent(state.condition)}&statistic=${state.statistic}&period=${encodeURIComponent(state.period)}`;
  return `${location.origin}/tiles/${state.level}/{z}/{x}/{y}.mvt?${query}`;
}

/**
 * A pattern image: diagonal hatching (secrecy) or horizontal lines (missing) on white, or dots on a transparent ground
 * laid over an unreliable value's own colour.
 */
function pattern(kind) {
  const size = 8, data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const ink = kind === "suppressed" ? (x + y) % 8 < 2 : kind === "missing" ? y % 8 === 0 : (x % 4 === 1 && y % 4 === 1);
      const i = (y * size + x) * 4;
      const [r, g, b, a] = ink ? [40, 40, 40, 255] : kind === "unreliable" ? [0, 0, 0, 0] : [255, 255, 255, 255];
      data.set([r, g, b, a], i);
    }
  }
  return { width: size, height: size, data };
}

function fillColour(cuts) {
  const expression = ["step", ["to-number", ["get", "value"], 0], colours[0]];
  cuts.forEach((cut, i) => expression.push(cut, colours[i + 1]));
  return expression;
}

async function showMap(cuts) {
  if (!map) {
    const bounds = await (await fetch(`/tiles/${state.level}.json`, { credentials: "same-origin" })).json();
    map = new MapLibreMap({
      container: "map",
      attributionControl: false,
      bounds: bounds.bounds,
      fitBoundsOptions: { padding: 10 },
      style: {
        version: 8,
        sources: { territories: { type: "vector", tiles: [tileUrl()], minzoom: 0, maxzoom: 14 } },
        layers: [
          { id: "background", type: "background", paint: { "background-color": "#f6f6f6" } },
          { id: "values", type: "fill", source: "territories", "source-layer": "territories", filter: ["in", ["get", "state"], ["literal", ["value", "unreliable"]]], paint: { "fill-color": fillColour(cuts) } },
          { id: "unreliable", type: "fill", source: "territories", "source-layer": "territories", filter: ["==", ["get", "state"], "unreliable"], paint: { "fill-pattern": "unreliable" } },
          { id: "suppressed", type: "fill", source: "territories", "source-layer": "territories", filter: ["==", ["get", "state"], "suppressed"], paint: { "fill-pattern": "suppressed" } },
          { id: "missing", type: "fill", source: "territories", "source-layer": "territories", filter: ["==", ["get", "state"], "missing"], paint: { "fill-pattern": "missing" } },
          { id: "outlines", type: "line", source: "territories", "source-layer": "territories", paint: { "line-color": "#6e7781", "line-width": 0.4 } },
        ],
      },
    });
    for (const kind of ["suppressed", "missing", "unreliable"]) map.addImage(kind, pattern(kind));
    map.on("click", (event) => {
      const feature = map.queryRenderedFeatures(event.point).find(f => f.properties?.code);
      if (feature) showTerritory(feature.properties.code, feature.properties.name);
    });
    map.on("idle", () => {
      // The first choropleth paint, measured from the screen's opening (Performance API; read by tests and benchmarks).
      if (performance.getEntriesByName("map-first-paint").length === 0) performance.measure("map-first-paint", "map-open");
      $("map").dataset.state = "ready";
    });
    return;
  }
  $("map").dataset.state = "loading";
  map.getSource("territories").setTiles([tileUrl()]);
  map.setPaintProperty("values", "fill-color", fillColour(cuts));
}

function showLegend({ cuts, zeros }) {
  const legend = $("map-legend");
  legend.replaceChildren();
  const bounds = [null, ...cuts, null];
  colours.slice(0, cuts.length + 1).forEach((colour, i) => {
    const item = element("span");
    const swatch = element("span", undefined, { class: "swatch" });
    swatch.style.background = colour; // through the CSSOM: the content security policy refuses style attributes
    item.append(swatch);
    const from = bounds[i] === null ? "" : `≥ ${number(bounds[i])}`;
    const to = bounds[i + 1] === null ? "" : `< ${number(bounds[i + 1])}`;
    item.append(document.createTextNode(zeros && i === 0 ? number(0) : [from, to].filter(Boolean).join(` ${t().and} `)));
    legend.append(item);
  });
  for (const kind of ["unreliable", "suppressed", "missing"]) {
    const item = element("span");
    item.append(element("span", undefined, { class: `swatch ${kind}` }), document.createTextNode(t().states[kind]));
    legend.append(item);
  }
  legend.append(element("span", t().method(state.period, cuts.length + 1), { class: "method" }));
  $("map").setAttribute("role", "img");
  $("map").setAttribute("aria-label", t().mapLabel(`${t().statistics[state.statistic]}, ${t().levels[state.level]}, ${state.period}`));
}

function stateName(id) {
  return id === "value" ? t().published : t().states[id] ?? id;
}

function showTable() {
  const rows = periodRows();
  const { key, descending } = state.sort;
  const sign = descending ? -1 : 1;
  rows.sort((a, b) => {
    if (key === "value") return (a.value === null) - (b.value === null) || sign * ((a.value ?? 0) - (b.value ?? 0)) || a.code.localeCompare(b.code);
    return sign * String(a[key]).localeCompare(String(b[key]), state.language);
  });
  const head = $("map-table-head");
  head.replaceChildren();
  for (const [column, label] of [["code", t().code], ["name", t().name], ["value", t().value], ["interval", t().interval], ["state", t().state], ["open", ""]]) {
    const cell = element("th", undefined, { scope: "col" });
    if (["code", "name", "value"].includes(column)) {
      const button = element("button", label, { type: "button" });
      if (state.sort.key === column) cell.setAttribute("aria-sort", state.sort.descending ? "descending" : "ascending");
      button.addEventListener("click", () => {
        state.sort = { key: column, descending: state.sort.key === column ? !state.sort.descending : column === "value" };
        state.page = 0;
        showTable();
      });
      cell.append(button);
    } else cell.textContent = label;
    head.append(cell);
  }
  const withheld = rows.filter(r => r.value === null).length;
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  state.page = Math.min(state.page, pages - 1);
  $("map-table-caption").textContent = `${t().caption(t().levels[state.level], rows.length, withheld)} ${{ code: t().code, name: t().name, value: t().value }[key]}. ${t().pageOf(state.page + 1, pages)}`;
  showPager(pages);
  const body = $("map-table").tBodies[0];
  body.replaceChildren(...rows.slice(state.page * pageSize, (state.page + 1) * pageSize).map(r => {
    const tr = element("tr", undefined, { "data-code": r.code });
    tr.append(element("td", r.code), element("td", r.name), element("td", number(r.value), { class: "number" }),
      element("td", r.low === null ? "—" : `${number(r.low)} – ${number(r.high)}`, { class: "number" }), element("td", stateName(r.state)));
    const open = element("td");
    const button = element("button", t().open, { type: "button", "aria-label": `${t().open} ${r.name}` });
    button.addEventListener("click", () => showTerritory(r.code, r.name));
    open.append(button);
    tr.append(open);
    return tr;
  }));
}

/** Previous and next buttons under the table, disabled at either end. */
function showPager(pages) {
  const pager = $("map-pager");
  pager.replaceChildren();
  for (const [label, page] of [[t().previous, state.page - 1], [t().next, state.page + 1]]) {
    const button = element("button", label, { type: "button" });
    button.disabled = page < 0 || page >= pages;
    button.addEventListener("click", () => { state.page = page; showTable(); });
    pager.append(button);
  }
}

/**
 * A territory beside its EPCI, département and région for the chosen period (intervals side by side, a difference
 * flagged when they do not overlap), its series as the API draws it, and where the figures come from.
 */
async function showTerritory(code, name) {
  const panel = $("territory-panel");
  const query = `condition=${encodeURIComponent(state.condition)}&statistic=${state.statistic}`;
  const base = `/api/territories/${state.level}/${encodeURIComponent(code)}`;
  const [compared, health] = await Promise.all([
    fetch(`${base}/compare?${query}`, { credentials: "same-origin" }),
    fetch(`${base}/health?condition=${encodeURIComponent(state.condition)}`, { credentials: "same-origin" }),
  ]);
  panel.replaceChildren(element("h4", t().panelTitle(`${name} (${code})`), { tabindex: "-1" }));
  if (compared.ok) {
    const table = element("table", undefined, { class: "comparison" });
    table.append(element("caption", t().comparedCaption(t().statistics[state.statistic], state.period)));
    const head = element("tr");
    for (const label of [t().territory, t().value, t().interval, t().state, t().differs]) head.append(element("th", label, { scope: "col" }));
    table.append(element("thead"));
    table.tHead.append(head);
    const body = table.appendChild(element("tbody"));
    for (const row of (await compared.json()).filter(r => r.period === state.period)) {
      const tr = element("tr");
      tr.append(element("th", `${row.name} (${t().levels[row.level] ?? row.level})`, { scope: "row" }), element("td", number(row.value), { class: "number" }),
        element("td", row.low === null ? "—" : `${number(row.low)} – ${number(row.high)}`, { class: "number" }), element("td", stateName(row.state)),
        element("td", row.depth === 0 ? "" : row.differsFromTerritory === true ? t().yes : row.differsFromTerritory === false ? t().no : "—"));
      body.append(tr);
    }
    panel.append(table);
    panel.append(element("img", undefined, {
      src: `${base}/charts/series?${query}&lang=${state.language}`, alt: t().seriesAlt(t().statistics[state.statistic], name), class: "chart",
    }));
  }
  if (health.ok) {
    const provenance = await health.json();
    panel.append(element("p", `${t().source} : ${provenance.source ?? ""} — ${provenance.licence ?? ""}`));
  }
  const close = element("button", t().close, { type: "button" });
  close.addEventListener("click", () => { panel.hidden = true; });
  panel.append(close);
  panel.hidden = false;
  panel.querySelector("h4").focus();
}

function fillSelect(id, options, selected) {
  const select = $(id);
  select.replaceChildren(...options.map(([value, label]) => {
    const option = element("option", label, { value });
    option.selected = value === selected;
    return option;
  }));
}

/**
 * The periods come from the régions' figures (a few rows), then only the chosen period of the chosen level is read:
 * every period of 35,000 communes would be megabytes the map does not draw.
 */
async function refresh(keepPeriod) {
  $("map").dataset.state = "loading";
  const periods = [...new Set((await loadRows("region")).map(r => r.period))].sort();
  if (!keepPeriod || !periods.includes(state.period)) state.period = periods[periods.length - 1] ?? null;
  fillSelect("map-period", periods.map(p => [p, p]), state.period);
  await loadPeriod();
}

async function loadPeriod() {
  state.rows = state.period ? await loadRows(state.level, state.period) : [];
  state.page = 0;
  render();
}

function render() {
  const classes = breaks(periodRows().filter(r => r.value !== null).map(r => r.value));
  fillSelect("map-statistic", Object.entries(t().statistics), state.statistic);
  fillSelect("map-level", Object.entries(t().levels), state.level);
  showLegend(classes);
  showTable();
  return showMap(classes.cuts);
}

let opened = false;
async function open(language) {
  state.language = language ?? state.language;
  if (opened) return;
  opened = true;
  performance.mark("map-open");
  const catalogue = await (await fetch("/api/indicators", { credentials: "same-origin" })).json();
  const conditions = catalogue.filter(i => i.domain === "human");
  const label = (i) => (state.language === "fr" ? i.labelFr : i.labelEn);
  state.condition = conditions[0]?.code ?? null;
  fillSelect("map-condition", conditions.map(i => [i.code, label(i)]), state.condition);
  $("map-condition").addEventListener("change", (e) => { state.condition = e.target.value; refresh(true); });
  $("map-statistic").addEventListener("change", (e) => { state.statistic = e.target.value; refresh(true); });
  $("map-period").addEventListener("change", (e) => { state.period = e.target.value; loadPeriod(); });
  $("map-level").addEventListener("change", (e) => {
    state.level = e.target.value;
    map?.remove();
    map = null;
    refresh(true);
  });
  document.addEventListener("languagechange", (e) => {
    state.language = e.detail;
    fillSelect("map-condition", conditions.map(i => [i.code, label(i)]), state.condition);
    render();
  });
  await refresh(false);
}

document.addEventListener("mapopen", (e) => open(e.detail));
if (!$("map-explorer").hidden) open();
