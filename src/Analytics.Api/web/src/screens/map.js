// The map explorer: any published health figure of every territory of a level, or a model's approved risk, as a
// choropleth over the service's own vector tiles (MapLibre, vendored by scripts/web.sh: nothing is requested from
// another host), classified by quantiles, Jenks, equal intervals or significance, with a legend that names the
// method and the period, withheld figures drawn with a pattern and named, a table equivalent to the map, a tooltip,
// a territory's figures on click, search, and an export of the view. Figures come from the API after statistical
// secrecy; the page only classes them.
import { $, element, fillSelect, screenLink, table } from "../dom.js";
import { formatDate, formatNumber, label, language, words } from "../i18n.js";
import { csvRows, get, getJson } from "../http.js";
import { app, catalogue, term } from "../server.js";
import { bivariate, classify, clusterStyles, methods } from "./classes.js";

const texts = {
  fr: {
    title: "Carte des indicateurs", condition: "Indicateur", statistic: "Statistique", level: "Niveau", period: "Période", method: "Classes",
    risk: "Risque modélisé approuvé", health: "Indicateurs de santé publiés",
    levels: { commune: "Communes", epci: "Intercommunalités (EPCI)", departement: "Départements", region: "Régions" }, whole: "Ensemble des territoires",
    view: "Zone affichée", mainland: "Métropole", everything: "Tout le territoire chargé",
    methods: { quantiles: "Quantiles", jenks: "Seuils naturels (Jenks)", equal: "Intervalles égaux", significance: "Écart significatif à 1" },
    significance: ["significativement inférieur à 1", "non différent de 1", "significativement supérieur à 1"],
    legend: (method, classes, period) => `${method} des valeurs publiées (${classes} classes${method === "Quantiles" || method.startsWith("Seuils") ? ", zéro à part" : ""}), période ${period}.`,
    legendSignificance: (period) => `Écart significatif à 1 : intervalle de confiance à 95 % entièrement au-dessous, autour ou au-dessus de 1, période ${period}.`,
    legendRisk: (r, period) => `Risque prédit (RSI) de la publication ${r.releaseId} approuvée par ${r.approvedBy} le ${formatDate(r.approvedAt)}, année ${period} ; quantiles.`,
    noPrediction: "sans prédiction publiée",
    caption: (level, count, withheld) => `${level} : ${count} territoires, dont ${withheld} sans valeur publiée. Trié par`,
    code: "Code", name: "Nom", value: "Valeur", interval: "Intervalle à 95 %", intervalCases: "Intervalle à 90 % (cas)", state: "État", open: "Voir",
    mapLabel: (what) => `Carte : ${what}. Le tableau ci-dessous donne les mêmes valeurs.`,
    and: "et", close: "Fermer", page: "Fiche du territoire",
    pageOf: (page, pages) => `Page ${page} sur ${pages}.`, previous: "Page précédente", next: "Page suivante",
    comparedCaption: (what, period) => `${what}, ${period}, face aux territoires parents`, territory: "Territoire", differs: "Écart significatif",
    yes: "oui", no: "non", source: "Source",
    search: "Rechercher un territoire (nom ou code INSEE)", searchButton: "Rechercher", noMatch: "Aucun territoire trouvé.",
    exportTitle: "Exporter la vue", csv: "Tableau (CSV)", geojson: "Carte (GeoJSON)", png: "Image (PNG, avec légende et source)",
    pngTitle: (what) => `${what}`, pngSource: (date) => `Source : Une seule santé — analyses territoriales, chiffres publiés après secret statistique, ${date}.`,
    overlay: "Grappes", overlays: { none: "Aucune", lisa: "LISA (Moran local)", gi_star: "Points chauds Gi*", scan: "Balayage spatial" },
    exposure: "Vue bivariée avec", noExposure: "Aucune (une seule variable)",
    categories: { HighHigh: "élevé entouré d'élevés", LowLow: "faible entouré de faibles", HighLow: "élevé parmi des faibles", LowHigh: "faible parmi des élevés",
      HotSpot: "point chaud", ColdSpot: "point froid", NotSignificant: "non significatif", Island: "sans voisin", scan: "grappe du balayage (p ≤ 0,05)" },
    scanRank: (rank, p) => `grappe n° ${rank} (p = ${p})`, cluster: "Grappe", exposureValue: "Exposition",
    legendBivariate: (health, exposure, period, exposurePeriod) => `Vue bivariée : terciles de ${health} (lignes, période ${period}) × terciles de ${exposure} (colonnes, période ${exposurePeriod}). Classe 1 = les deux faibles, 9 = les deux élevés.`,
    classNumber: "Classe",
    terciles: ["faible", "moyen", "élevé"], healthWord: "santé", exposureWord: "exposition",
  },
  en: {
    title: "Indicator map", condition: "Indicator", statistic: "Statistic", level: "Level", period: "Period", method: "Classes",
    risk: "Approved modelled risk", health: "Published health indicators",
    levels: { commune: "Communes", epci: "Inter-municipal bodies (EPCI)", departement: "Départements", region: "Regions" }, whole: "All territories",
    view: "Area shown", mainland: "Mainland France", everything: "Everything loaded",
    methods: { quantiles: "Quantiles", jenks: "Natural breaks (Jenks)", equal: "Equal intervals", significance: "Significant difference from 1" },
    significance: ["significantly below 1", "not different from 1", "significantly above 1"],
    legend: (method, classes, period) => `${method} of the published values (${classes} classes${method === "Quantiles" || method.startsWith("Natural") ? ", zero apart" : ""}), period ${period}.`,
    legendSignificance: (period) => `Significant difference from 1: 95% confidence interval wholly below, around or above 1, period ${period}.`,
    legendRisk: (r, period) => `Predicted risk (SIR) of release ${r.releaseId} approved by ${r.approvedBy} on ${formatDate(r.approvedAt)}, year ${period}; quantiles.`,
    noPrediction: "no published prediction",
    caption: (level, count, withheld) => `${level}: ${count} territories, ${withheld} without a published value. Sorted by`,
    code: "Code", name: "Name", value: "Value", interval: "95% interval", intervalCases: "90% interval (cases)", state: "State", open: "Open",
    mapLabel: (what) => `Map: ${what}. The table below gives the same values.`,
    and: "and", close: "Close", page: "Territory page",
    pageOf: (page, pages) => `Page ${page} of ${pages}.`, previous: "Previous page", next: "Next page",
    comparedCaption: (what, period) => `${what}, ${period}, beside the ancestors`, territory: "Territory", differs: "Significant difference",
    yes: "yes", no: "no", source: "Source",
    search: "Find a territory (name or INSEE code)", searchButton: "Search", noMatch: "No territory found.",
    exportTitle: "Export the view", csv: "Table (CSV)", geojson: "Map (GeoJSON)", png: "Image (PNG, with legend and source)",
    pngTitle: (what) => `${what}`, pngSource: (date) => `Source: One Health territorial analytics, figures published after statistical secrecy, ${date}.`,
    overlay: "Clusters", overlays: { none: "None", lisa: "LISA (local Moran)", gi_star: "Gi* hot spots", scan: "Spatial scan" },
    exposure: "Bivariate view with", noExposure: "None (one variable)",
    categories: { HighHigh: "high among high", LowLow: "low among low", HighLow: "high among low", LowHigh: "low among high",
      HotSpot: "hot spot", ColdSpot: "cold spot", NotSignificant: "not significant", Island: "no neighbour", scan: "scan cluster (p ≤ 0.05)" },
    scanRank: (rank, p) => `cluster no. ${rank} (p = ${p})`, cluster: "Cluster", exposureValue: "Exposure",
    legendBivariate: (health, exposure, period, exposurePeriod) => `Bivariate view: terciles of ${health} (rows, period ${period}) × terciles of ${exposure} (columns, period ${exposurePeriod}). Class 1 = both low, 9 = both high.`,
    classNumber: "Class",
    terciles: ["low", "middle", "high"], healthWord: "health", exposureWord: "exposure",
  },
};
const t = () => words(texts);
const riskPrefix = "risk:";
const pageSize = 100; // rows of the table shown at once; the legend and the map cover them all

const state = {
  conditions: [], models: [], condition: null, statistic: "sir", level: "commune", method: "quantiles", periods: [], period: null,
  rows: [], byCode: new Map(), classes: null, release: null, page: 0, sort: { key: "value", descending: true },
  overlay: "none", exposureIndicators: [], exposure: "", exposurePeriod: null,
  tileJson: null, view: "0", // the level's TileJSON (its views: outside the overseas départements first, then each of them) and the one shown
};
let map = null;
let mapLoaded = null; // resolves when the map's style is loaded (its tiles may still be loading)
let painted = false; // the map's classes match the figures on display
const named = new Set(); // the départements whose names are on the map
let maplibreLoading = null; // MapLibre's module, asked for as the screen opens, while the figures load
let opened = false;

const isRisk = () => state.condition?.startsWith(riskPrefix);
const model = () => state.models.find(m => `${riskPrefix}${m.code}` === state.condition);
const statisticName = () => (isRisk() ? t().risk : term(app.statistics, state.statistic));
const conditionName = () => (isRisk() ? label(model()) : label(state.conditions.find(c => c.code === state.condition)));

/** One figure of a level from the CSV export, one period or all (every period of 35,000 communes is megabytes). */
async function loadFigures(level, period) {
  const url = `/api/levels/${level}/figures?condition=${encodeURIComponent(state.condition)}&statistic=${state.statistic}`
    + (period ? `&period=${encodeURIComponent(period)}` : "");
  const response = await get(url);
  if (!response.ok) return [];
  return csvRows(await response.text()).map(([code, name, rowPeriod, value, low, high, figureState]) => {
    const asNumber = (text) => (text === "" ? null : Number(text));
    return { code, name, period: rowPeriod, value: asNumber(value), low: asNumber(low), high: asNumber(high), state: figureState };
  });
}

/** A model's approved priority list as rows of the map (communes; the interval is in cases). */
async function loadRisk() {
  const priorities = await getJson(`/api/models/${encodeURIComponent(model().code)}/priorities`);
  state.release = priorities?.release ?? null;
  state.periods = priorities ? [priorities.period] : [];
  state.period = state.periods[0] ?? null;
  return (priorities?.territories ?? []).map(p => ({ code: p.code, name: p.name, period: priorities.period, value: p.predictedSir, low: p.intervalLow, high: p.intervalHigh, state: "value" }));
}

/** The cluster layer of the condition and period (communes): LISA or Gi* categories, or scan cluster membership. */
async function loadClusters() {
  for (const row of state.rows) row.cluster = null;
  if (state.overlay === "none" || isRisk() || !state.period) return;
  const url = `/api/levels/${state.level}/clusters?condition=${encodeURIComponent(state.condition)}&method=${state.overlay}&period=${encodeURIComponent(state.period)}`;
  for (const c of (await getJson(url)) ?? []) {
    const row = state.byCode.get(c.code);
    const significantScan = state.overlay === "scan" && c.pValue !== null && c.pValue <= 0.05;
    if (row && c.category && (state.overlay !== "scan" || significantScan)) row.cluster = { category: c.category, pValue: c.pValue };
  }
}

/** The exposure crossed with the health figure in the bivariate view: its period if it has one, else the latest before it. */
async function loadExposure() {
  for (const row of state.rows) row.exposure = null;
  state.exposurePeriod = null;
  if (!state.exposure || isRisk()) return;
  const values = (await getJson(`/api/levels/${state.level}/exposures?indicator=${encodeURIComponent(state.exposure)}`)) ?? [];
  const periods = [...new Set(values.map(v => v.period))].sort();
  state.exposurePeriod = periods.includes(state.period) ? state.period : periods.filter(p => p <= state.period).at(-1) ?? periods.at(-1) ?? null;
  for (const v of values) {
    const row = v.period === state.exposurePeriod ? state.byCode.get(v.code) : null;
    if (row) row.exposure = v.value;
  }
}

const clusterStyle = (cluster) => (state.overlay === "scan" ? "scan" : cluster.category);
const clusterText = (cluster) => (cluster === null || cluster === undefined ? ""
  : state.overlay === "scan" ? t().scanRank(cluster.category, formatNumber(cluster.pValue, 3)) : t().categories[cluster.category] ?? cluster.category);

function tileUrl() {
  // Approved risk is drawn on the geometry of the model's condition's latest health figures (their state is not shown).
  const condition = isRisk() ? model().condition : state.condition;
  const statistic = isRisk() ? "sir" : state.statistic;
  const period = isRisk() ? state.healthPeriod : state.period;
  // Code and state only: names and values come with the figures, so the tiles carry a third fewer bytes.
  return `${location.origin}/tiles/${state.level}/{z}/{x}/{y}.mvt?condition=${encodeURIComponent(condition)}&statistic=${statistic}&period=${encodeURIComponent(period)}&properties=state`;
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
      const [r, g, b, a] = ink ? [40, 40, 40, 255] : kind === "unreliable" ? [0, 0, 0, 0] : [255, 255, 255, 255];
      data.set([r, g, b, a], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

/** The fill colour of a territory's class (feature state set from the published rows); unclassed ones stay light. */
function fillColour(colours) {
  const expression = ["match", ["coalesce", ["feature-state", "class"], -1]];
  colours.forEach((colour, i) => expression.push(i, colour));
  expression.push(isRisk() ? "#d9d9d9" : "rgba(0, 0, 0, 0)");
  return expression;
}

function applyClasses() {
  map.removeFeatureState({ source: "territories", sourceLayer: "territories" });
  for (const row of state.rows) {
    const k = state.classes.classOf(row);
    const cluster = row.cluster ? clusterStyle(row.cluster) : null;
    const featureState = { ...(k === null ? {} : { class: k }), ...(cluster && clusterStyles[cluster] ? { cluster } : {}) };
    if (Object.keys(featureState).length) map.setFeatureState({ source: "territories", sourceLayer: "territories", id: row.code }, featureState);
  }
  map.setPaintProperty("values", "fill-color", fillColour(state.classes.colours));
  for (const kind of ["suppressed", "missing", "unreliable"]) map.setLayoutProperty(kind, "visibility", isRisk() ? "none" : "visible");
  map.setLayoutProperty("clusters", "visibility", state.overlay === "none" || isRisk() ? "none" : "visible");
}

/**
 * Creates the map for the level (once per level) as soon as the period is known, so that its library, its TileJSON
 * and its tiles load while the figures do; resolves when its style is loaded.
 */
function ensureMap() {
  if (mapLoaded) return mapLoaded;
  const tiles = tileUrl();
  mapLoaded = Promise.all([maplibreLoading, getJson(`/tiles/${state.level}.json`)]).then(([library, tileJson]) => new Promise((resolve) => {
    const outlines = state.level === "commune" || state.level === "epci";
    state.tileJson = tileJson;
    showViews();
    map = new library.Map({
      container: "map",
      attributionControl: false,
      // No geography loaded yet: no TileJSON, and the map opens on the whole world, empty.
      ...(tileJson ? { bounds: viewBounds(), fitBoundsOptions: { padding: 10 } } : {}),
      canvasContextAttributes: { preserveDrawingBuffer: true }, // the PNG export reads the canvas
      style: {
        version: 8,
        sources: {
          territories: { type: "vector", tiles: [tiles], minzoom: 0, maxzoom: 14, promoteId: "code" },
          // The plain background: départements' outlines from the loaded geography (no external tiles, no glyphs).
          ...(outlines ? { departements: { type: "vector", tiles: [`${location.origin}/tiles/departement/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 14 } } : {}),
        },
        layers: [
          { id: "background", type: "background", paint: { "background-color": "#f6f6f6" } },
          { id: "values", type: "fill", source: "territories", "source-layer": "territories", paint: { "fill-color": "rgba(0, 0, 0, 0)" } },
          { id: "unreliable", type: "fill", source: "territories", "source-layer": "territories", filter: ["==", ["get", "state"], "unreliable"], paint: { "fill-pattern": "unreliable" } },
          { id: "suppressed", type: "fill", source: "territories", "source-layer": "territories", filter: ["==", ["get", "state"], "suppressed"], paint: { "fill-pattern": "suppressed" } },
          { id: "missing", type: "fill", source: "territories", "source-layer": "territories", filter: ["==", ["get", "state"], "missing"], paint: { "fill-pattern": "missing" } },
          // Communes' own outlines from zoom 7: below, 35,000 hairlines are a grey haze that costs seconds to draw.
          { id: "outlines", type: "line", source: "territories", "source-layer": "territories", minzoom: state.level === "commune" ? 7 : 0, paint: { "line-color": "#6e7781", "line-width": 0.4 } },
          {
            // Hidden unless a cluster layer is chosen: an invisible layer's lines are never built.
            id: "clusters", type: "line", source: "territories", "source-layer": "territories", layout: { visibility: "none" }, paint: {
              "line-color": ["match", ["coalesce", ["feature-state", "cluster"], ""], ...Object.entries(clusterStyles).flat(), "rgba(0, 0, 0, 0)"], "line-width": 2.5,
            },
          },
          ...(outlines ? [{ id: "departements", type: "line", source: "departements", "source-layer": "territories", paint: { "line-color": "#1b1b1b", "line-width": 1.2 } }] : []),
        ],
      },
    });
    for (const kind of ["suppressed", "missing", "unreliable"]) map.addImage(kind, pattern(kind));
    // The style, not the tiles: classes set before the tiles arrive are built into them, with no second pass.
    map.once("style.load", () => { performance.mark("map-style"); resolve(); });
    map.on("click", "values", (event) => {
      const row = state.byCode.get(event.features[0]?.properties?.code);
      if (row) showPanel(row.code, row.name);
    });
    map.on("mousemove", "values", (event) => showTooltip(event.features[0]?.properties?.code, event.point));
    map.on("mouseleave", "values", () => { $("map-tooltip").hidden = true; });
    map.on("idle", () => {
      if (!painted) return; // tiles may settle before the figures arrive: that is not yet the choropleth
      if (outlines) showNames(library);
      // The first choropleth paint, measured from the screen's opening (Performance API; read by tests and benchmarks).
      if (performance.getEntriesByName("map-first-paint").length === 0) performance.measure("map-first-paint", "map-open");
      $("map").dataset.bounds = map.getBounds().toArray().flat().join(","); // west, south, east, north: what the frame shows
      $("map").dataset.state = "ready";
    });
  }));
  return mapLoaded;
}

/**
 * The départements' names over the map, placed at the middle of each one's box in the outline tiles: DOM labels, so
 * no glyphs need hosting. Hidden from assistive technologies, which read the same territories in the table. Each is
 * named once, when its tiles first load (an overseas département when its view is first shown).
 */
function showNames(library) {
  const boxes = new Map();
  for (const feature of map.querySourceFeatures("departements", { sourceLayer: "territories" })) {
    if (named.has(feature.properties.code)) continue;
    // A département crossing tiles comes in pieces: their boxes are merged.
    const box = boxes.get(feature.properties.code) ?? { name: feature.properties.name, west: 180, south: 90, east: -180, north: -90 };
    const rings = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const [lng, lat] of rings.flat(2)) {
      box.west = Math.min(box.west, lng); box.east = Math.max(box.east, lng);
      box.south = Math.min(box.south, lat); box.north = Math.max(box.north, lat);
    }
    boxes.set(feature.properties.code, box);
  }
  for (const [code, box] of boxes) {
    const label = element("span", box.name, { class: "map-name", "aria-hidden": "true" });
    new library.Marker({ element: label }).setLngLat([(box.west + box.east) / 2, (box.south + box.north) / 2]).addTo(map);
    named.add(code);
  }
}

/** Draws the classes of the figures on display (and their tiles, when the figure changed). */
async function showMap() {
  $("map").dataset.state = "loading";
  painted = false;
  await ensureMap();
  const source = map.getSource("territories");
  if (source.tiles?.[0] !== tileUrl()) source.setTiles([tileUrl()]);
  applyClasses();
  performance.mark("map-classes");
  painted = true;
  // A frame even when nothing visible changed (an empty cluster layer): its "idle" says the map is ready.
  map.triggerRepaint();
}

function showTooltip(code, point) {
  const tooltip = $("map-tooltip");
  const row = state.byCode.get(code);
  if (!row) { tooltip.hidden = true; return; }
  tooltip.replaceChildren(element("strong", `${row.name} (${row.code})`), element("br"),
    document.createTextNode(row.value === null ? stateName(row.state) : `${formatNumber(row.value)}${row.state === "unreliable" ? ` (${stateName("unreliable")})` : ""}`));
  tooltip.style.left = `${point.x + 12}px`; // through the CSSOM: the content security policy refuses style attributes
  tooltip.style.top = `${point.y + 12}px`;
  tooltip.hidden = false;
}

function legendItems() {
  const { cuts, zeros, colours, significance } = state.classes;
  if (state.classes.bivariate) {
    const items = colours.map((colour, i) => ({
      colour, text: `${t().classNumber} ${i + 1} : ${t().healthWord} ${t().terciles[Math.floor(i / 3)]} × ${t().exposureWord} ${t().terciles[i % 3]}`,
    }));
    return [...items, ...overlayItems(), ...["unreliable", "suppressed", "missing"].map(kind => ({ kind, text: stateName(kind) }))];
  }
  const bounds = [null, ...cuts, null];
  const items = colours.map((colour, i) => {
    const text = significance ? t().significance[i]
      : zeros && i === 0 ? formatNumber(0)
      : [bounds[i] === null ? "" : `≥ ${formatNumber(bounds[i])}`, bounds[i + 1] === null ? "" : `< ${formatNumber(bounds[i + 1])}`].filter(Boolean).join(` ${t().and} `);
    return { colour, text };
  });
  if (isRisk()) items.push({ colour: "#d9d9d9", text: t().noPrediction });
  else for (const kind of ["unreliable", "suppressed", "missing"]) items.push({ kind, text: stateName(kind) });
  return [...items, ...overlayItems()];
}

/** The outlines of the cluster layer on display, named. */
function overlayItems() {
  if (state.overlay === "none" || isRisk()) return [];
  const categories = { lisa: ["HighHigh", "LowLow", "HighLow", "LowHigh"], gi_star: ["HotSpot", "ColdSpot"], scan: ["scan"] }[state.overlay];
  return categories.map(c => ({ line: clusterStyles[c], text: `${t().overlays[state.overlay]} : ${t().categories[c]}` }));
}

function legendMethod() {
  if (isRisk()) return state.release ? t().legendRisk(state.release, state.period) : "";
  if (state.classes.bivariate) {
    const exposureName = label(state.exposureIndicators.find(i => i.code === state.exposure)) || state.exposure;
    return t().legendBivariate(`${conditionName()} (${statisticName()})`, exposureName, state.period, state.exposurePeriod ?? "—");
  }
  if (state.classes.significance) return t().legendSignificance(state.period);
  return t().legend(t().methods[state.method], state.classes.colours.length, state.period);
}

function showLegend() {
  const legend = $("map-legend");
  legend.replaceChildren(...legendItems().map(({ colour, kind, line, text }) => {
    const item = element("span");
    const swatch = element("span", undefined, { class: kind ? `swatch ${kind}` : line ? "swatch line" : "swatch" });
    if (colour) swatch.style.background = colour;
    if (line) swatch.style.borderColor = line;
    item.append(swatch, document.createTextNode(text));
    return item;
  }), element("span", legendMethod(), { class: "method" }));
  const what = `${conditionName()} — ${statisticName()}, ${t().levels[state.level]}, ${state.period ?? ""}`;
  $("map").setAttribute("role", "img");
  $("map").setAttribute("aria-label", t().mapLabel(what));
}

const stateName = (id) => term(app.states, id);

function sortedRows() {
  const rows = [...state.rows];
  const { key, descending } = state.sort;
  const sign = descending ? -1 : 1;
  return rows.sort((a, b) => {
    if (key === "value") return (a.value === null) - (b.value === null) || sign * ((a.value ?? 0) - (b.value ?? 0)) || a.code.localeCompare(b.code);
    return sign * String(a[key]).localeCompare(String(b[key]), language());
  });
}

function showTable() {
  const rows = sortedRows();
  const head = $("map-table-head");
  head.replaceChildren();
  const intervalLabel = isRisk() ? t().intervalCases : t().interval;
  const bivariateView = Boolean(state.classes.bivariate);
  const clustersShown = state.overlay !== "none" && !isRisk();
  const columns = [["code", t().code], ["name", t().name], ["value", t().value], ["interval", intervalLabel], ["state", t().state],
    ...(bivariateView ? [["exposure", t().exposureValue], ["class", t().classNumber]] : []), ...(clustersShown ? [["cluster", t().cluster]] : []), ["open", ""]];
  for (const [column, text] of columns) {
    const cell = element("th", undefined, { scope: "col" });
    if (["code", "name", "value"].includes(column)) {
      const button = element("button", text, { type: "button" });
      if (state.sort.key === column) cell.setAttribute("aria-sort", state.sort.descending ? "descending" : "ascending");
      button.addEventListener("click", () => {
        state.sort = { key: column, descending: state.sort.key === column ? !state.sort.descending : column === "value" };
        state.page = 0;
        showTable();
        head.querySelector(`th[aria-sort] button`)?.focus();
      });
      cell.append(button);
    } else cell.textContent = text;
    head.append(cell);
  }
  const withheld = rows.filter(r => r.value === null).length;
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  state.page = Math.min(state.page, pages - 1);
  const sortedBy = { code: t().code, name: t().name, value: t().value }[state.sort.key];
  $("map-table-caption").textContent = `${t().caption(t().levels[state.level], rows.length, withheld)} ${sortedBy}. ${t().pageOf(state.page + 1, pages)}`;
  showPager(pages);
  $("map-table").tBodies[0].replaceChildren(...rows.slice(state.page * pageSize, (state.page + 1) * pageSize).map(r => {
    const tr = element("tr", undefined, { "data-code": r.code });
    tr.append(element("td", r.code), element("td", r.name), element("td", formatNumber(r.value), { class: "number" }),
      element("td", r.low === null ? "—" : `${formatNumber(r.low)} – ${formatNumber(r.high)}`, { class: "number" }), element("td", stateName(r.state)));
    if (bivariateView) {
      const k = state.classes.classOf(r);
      tr.append(element("td", formatNumber(r.exposure), { class: "number" }), element("td", k === null ? "—" : String(k + 1), { class: "number" }));
    }
    if (clustersShown) tr.append(element("td", clusterText(r.cluster)));
    const button = element("button", t().open, { type: "button", "aria-label": `${t().open} ${r.name}` });
    button.addEventListener("click", () => showPanel(r.code, r.name));
    tr.append(element("td").appendChild(button).parentNode);
    return tr;
  }));
}

/** Previous and next buttons under the table, disabled at either end. */
function showPager(pages) {
  $("map-pager").replaceChildren(...[[t().previous, state.page - 1], [t().next, state.page + 1]].map(([text, page]) => {
    const button = element("button", text, { type: "button" });
    button.disabled = page < 0 || page >= pages;
    button.addEventListener("click", () => { state.page = page; showTable(); });
    return button;
  }));
}

/**
 * A territory beside its EPCI, département and région for the chosen period (intervals side by side, a difference
 * flagged when they do not overlap), its series as the API draws it, and a link to its page.
 */
async function showPanel(code, name) {
  const panel = $("territory-panel");
  const pageLink = screenLink(t().page, `territoire/${state.level}/${encodeURIComponent(code)}`, { id: "territory-page-link" });
  const close = element("button", t().close, { type: "button" });
  close.addEventListener("click", () => { panel.hidden = true; });
  const parts = [element("h3", `${name} (${code})`, { tabindex: "-1" })];
  if (!isRisk()) {
    const query = `condition=${encodeURIComponent(state.condition)}&statistic=${state.statistic}`;
    const base = `/api/territories/${state.level}/${encodeURIComponent(code)}`;
    const compared = (await getJson(`${base}/compare?${query}`)) ?? [];
    parts.push(table(t().comparedCaption(statisticName(), state.period), [t().territory, t().value, t().interval, t().state, t().differs],
      compared.filter(r => r.period === state.period).map(r => [
        { text: r.level === "whole" ? t().whole : `${r.name} (${t().levels[r.level] ?? r.level})`, header: true }, { text: formatNumber(r.value), number: true },
        { text: r.low === null ? "—" : `${formatNumber(r.low)} – ${formatNumber(r.high)}`, number: true }, stateName(r.state),
        r.depth === 0 ? "" : r.differsFromTerritory === true ? t().yes : r.differsFromTerritory === false ? t().no : "—"]), { class: "comparison" }));
  }
  parts.push(element("p").appendChild(pageLink).parentNode, close);
  panel.replaceChildren(...parts);
  panel.hidden = false;
  panel.querySelector("h3").focus();
}

function showExports() {
  const base = isRisk() ? `/api/models/${encodeURIComponent(model().code)}/priorities.csv`
    : `/api/levels/${state.level}/figures?condition=${encodeURIComponent(state.condition)}&statistic=${state.statistic}&period=${encodeURIComponent(state.period ?? "")}`;
  $("map-export-csv").href = isRisk() ? base : `${base}&format=csv`;
  $("map-export-geojson").hidden = isRisk();
  $("map-export-geojson").href = `${base}&format=geojson`;
}

/** The map as a PNG with its title, legend and source drawn under it. */
function exportPng() {
  const source = map.getCanvas();
  const items = legendItems();
  const scale = source.width / source.clientWidth;
  const lineHeight = 22 * scale;
  const canvas = document.createElement("canvas");
  canvas.width = source.width;
  canvas.height = source.height + lineHeight * (items.length + 4);
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.font = `${14 * scale}px system-ui, sans-serif`;
  context.fillStyle = "#1b1b1b";
  context.fillText(`${conditionName()} — ${statisticName()}, ${t().levels[state.level]}, ${state.period}`, 8 * scale, lineHeight * 0.8);
  context.drawImage(source, 0, lineHeight);
  let y = source.height + lineHeight * 1.8;
  for (const item of items) {
    context.fillStyle = item.colour ?? item.line ?? "#555";
    context.fillRect(8 * scale, y - 12 * scale, 24 * scale, 14 * scale);
    context.fillStyle = "#1b1b1b";
    context.fillText(item.text, 40 * scale, y);
    y += lineHeight;
  }
  context.fillText(legendMethod(), 8 * scale, y);
  context.fillText(t().pngSource(new Date().toLocaleDateString(language() === "fr" ? "fr-FR" : "en-GB")), 8 * scale, y + lineHeight);
  canvas.toBlob((blob) => {
    const link = element("a", undefined, { href: URL.createObjectURL(blob), download: `carte-${state.level}-${state.period}.png` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }, "image/png");
}

async function search(query) {
  const results = $("map-search-results");
  const matches = query.trim() ? (await getJson(`/api/territories?q=${encodeURIComponent(query)}&limit=10`)) ?? [] : [];
  results.replaceChildren(...(matches.length === 0 && query.trim() ? [element("li", t().noMatch)]
    : matches.map(m => element("li").appendChild(screenLink(`${m.name} (${m.code}) — ${t().levels[m.level] ?? m.level}`, `territoire/${m.level}/${encodeURIComponent(m.code)}`)).parentNode)));
}

function showControls() {
  fillSelect($("map-condition"), [
    { group: t().health, options: state.conditions.map(c => [c.code, label(c)]) },
    ...(state.models.length ? [{ group: t().risk, options: state.models.map(m => [`${riskPrefix}${m.code}`, label(m)]) }] : []),
  ], state.condition);
  fillSelect($("map-statistic"), app.statistics.map(s => [s.id, s[language()]]), state.statistic);
  fillSelect($("map-level"), Object.entries(t().levels), state.level);
  showViews();
  const significant = ["sir", "smoothed_rr"].includes(state.statistic);
  fillSelect($("map-method"), methods.filter(m => m !== "significance" || significant).map(m => [m, t().methods[m]]), state.method);
  fillSelect($("map-overlay"), Object.entries(t().overlays), state.overlay);
  fillSelect($("map-exposure"), [["", t().noExposure], ...state.exposureIndicators.map(i => [i.code, label(i)])], state.exposure);
  for (const id of ["map-statistic", "map-level", "map-method", "map-period", "map-overlay", "map-exposure"]) $(id).disabled = isRisk();
  $("map-method").disabled = isRisk() || Boolean(state.exposure);
  $("map-overlay").disabled = isRisk() || state.level !== "commune"; // clusters are computed on communes
  const slider = $("map-period");
  slider.max = String(Math.max(0, state.periods.length - 1));
  slider.value = String(Math.max(0, state.periods.indexOf(state.period)));
  slider.setAttribute("aria-valuetext", state.period ?? "");
  $("map-period-value").textContent = state.period ?? "";
  for (const [id, key] of [["map-title", "title"], ["map-condition-label", "condition"], ["map-statistic-label", "statistic"], ["map-level-label", "level"],
    ["map-period-label", "period"], ["map-view-label", "view"], ["map-method-label", "method"], ["map-overlay-label", "overlay"], ["map-exposure-label", "exposure"], ["map-search-label", "search"], ["map-search-button", "searchButton"],
    ["map-export-title", "exportTitle"], ["map-export-csv", "csv"], ["map-export-geojson", "geojson"], ["map-export-png", "png"]]) $(id).textContent = t()[key];
}

export async function render() {
  if (!opened) return;
  if (state.method === "significance" && !["sir", "smoothed_rr"].includes(state.statistic)) state.method = "quantiles";
  state.classes = isRisk() ? classify("quantiles", state.rows) : state.exposure ? bivariate(state.rows) : classify(state.method, state.rows);
  showControls();
  showLegend();
  showTable();
  showExports();
  await showMap();
}

/** The periods come from the régions' figures (a few rows); then only the chosen period of the chosen level is read. */
async function refresh() {
  $("map").dataset.state = "loading";
  if (isRisk()) {
    state.level = "commune";
    state.rows = await loadRisk();
  } else {
    state.periods = [...new Set((await loadFigures("region")).map(r => r.period))].sort();
    if (!state.periods.includes(state.period)) state.period = state.periods[state.periods.length - 1] ?? null;
    state.healthPeriod = state.period;
    const figures = state.period ? loadFigures(state.level, state.period) : Promise.resolve([]);
    if (state.period) ensureMap();
    state.rows = await figures;
    performance.mark("map-figures");
  }
  state.byCode = new Map(state.rows.map(r => [r.code, r]));
  if (state.level !== "commune") state.overlay = "none";
  await Promise.all([loadClusters(), loadExposure()]);
  state.page = 0;
  await render();
}

function resetMap() {
  map?.remove();
  map = null;
  mapLoaded = null;
  named.clear();
  state.view = "0";
}

/** The extent of the chosen view: overseas départements are views of their own, so the map does not open on an ocean. */
function viewBounds() {
  const views = state.tileJson?.views ?? [];
  return state.view === "all" || !views[Number(state.view)] ? state.tileJson.bounds : views[Number(state.view)].bounds;
}

/** The choice of view, offered when there is more than one. */
function showViews() {
  const views = state.tileJson?.views ?? [];
  $("map-view-choice").hidden = views.length < 2;
  fillSelect($("map-view"), [...views.map((v, i) => [String(i), v.departement ? `${v.name} (${v.departement})` : t().mainland]), ["all", t().everything]], state.view);
}

function wire() {
  $("map-condition").addEventListener("change", (e) => {
    const levelChanges = e.target.value.startsWith(riskPrefix) && state.level !== "commune";
    state.condition = e.target.value;
    if (levelChanges) resetMap();
    refresh();
  });
  $("map-statistic").addEventListener("change", (e) => { state.statistic = e.target.value; refresh(); });
  $("map-method").addEventListener("change", (e) => { state.method = e.target.value; render(); });
  $("map-overlay").addEventListener("change", async (e) => { state.overlay = e.target.value; $("map").dataset.state = "loading"; await loadClusters(); render(); });
  $("map-exposure").addEventListener("change", async (e) => { state.exposure = e.target.value; $("map").dataset.state = "loading"; await loadExposure(); render(); });
  $("map-period").addEventListener("change", (e) => { state.period = state.periods[Number(e.target.value)]; refresh(); });
  $("map-period").addEventListener("input", (e) => { $("map-period-value").textContent = state.periods[Number(e.target.value)] ?? ""; });
  $("map-level").addEventListener("change", (e) => { state.level = e.target.value; resetMap(); refresh(); });
  $("map-view").addEventListener("change", (e) => {
    state.view = e.target.value;
    if (!map) return;
    $("map").dataset.state = "loading"; // until the new view's tiles are drawn ("idle")
    map.fitBounds(viewBounds(), { padding: 10, animate: false });
  });
  $("map-search").addEventListener("submit", (e) => { e.preventDefault(); search($("map-search-input").value); });
  $("map-export-png").addEventListener("click", exportPng);
}

export async function open() {
  if (opened) { map?.resize(); return; }
  opened = true;
  performance.mark("map-open");
  maplibreLoading = import("/vendor/maplibre/maplibre-gl.mjs");
  wire();
  const [indicators, models] = await Promise.all([catalogue(), getJson("/api/models")]);
  state.conditions = indicators.filter(i => i.domain === "human");
  state.exposureIndicators = indicators.filter(i => ["environment", "animal", "socio-economic"].includes(i.domain));
  state.models = (models ?? []).filter(m => m.inForce);
  state.condition = state.conditions[0]?.code ?? null;
  await refresh();
}
