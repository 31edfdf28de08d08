// The auditor's workspace (#/audit): whether the audit log's hash chain holds and against which signed checkpoint,
// the log filtered by kind, actor, object and period and paged back, and its CSV export — which the log records too.
// The releases' model cards and fairness reports are one link away, in the history of releases.
import { $, element, fillSelect, screenLink, table } from "../dom.js";
import { formatDate, formatNumber, label, language, words } from "../i18n.js";
import { getJson } from "../http.js";
import { app, term } from "../server.js";

const texts = {
  fr: {
    title: "Journal d'audit", chainTitle: "Intégrité de la chaîne",
    intact: (v) => `Chaîne vérifiée : ${formatNumber(v.eventsChecked, 0)} événements, du n° ${v.firstSequence} au n° ${v.lastSequence}, aucun maillon rompu.`,
    broken: "Chaîne rompue :", unverifiable: "Vérification impossible : le point de contrôle est illisible ou endommagé (voir le journal du serveur).",
    checkpoint: {
      None: () => "Aucun point de contrôle signé n'est conservé : la chaîne prouve l'ordre des événements, pas l'absence de réécriture complète.",
      Matched: (c) => `Dernier point de contrôle signé (n° ${c.sequence}, ${formatDate(c.createdAt)}, ${c.file}) : concorde.`,
      NotAuthentic: (c) => `Le point de contrôle ${c.file} n'est pas signé par la clé configurée : il ne prouve rien.`,
      PredatesRetainedEvents: (c) => `Le point de contrôle n° ${c.sequence} précède les événements conservés (purge de rétention).`,
      Contradicted: (c) => `Le journal contredit le point de contrôle signé n° ${c.sequence} : il a été réécrit.`,
      NotReached: (c) => `Le journal s'arrête avant le point de contrôle signé n° ${c.sequence} : il a été tronqué.`,
    },
    filters: "Filtres", kind: "Type d'événement", allKinds: "Tous", actor: "Acteur (identifiant exact)", subject: "Objet (ex. release:12, account:alice)",
    from: "Du", to: "Au (inclus)", apply: "Filtrer", export: "Exporter ces événements (CSV, l'export est lui-même journalisé)",
    caption: (n) => `Événements, les plus récents d'abord (${n} affichés)`, columns: ["N°", "Horodatage", "Acteur", "Type", "Objet", "Détails"],
    none: "Aucun événement ne répond à ces filtres.", older: "Événements plus anciens", releases: "Fiches de modèle et rapports d'équité de chaque publication",
  },
  en: {
    title: "Audit log", chainTitle: "Chain integrity",
    intact: (v) => `Chain verified: ${formatNumber(v.eventsChecked, 0)} events, from no. ${v.firstSequence} to no. ${v.lastSequence}, no broken link.`,
    broken: "Chain broken:", unverifiable: "Verification impossible: the checkpoint is unreadable or damaged (see the server's log).",
    checkpoint: {
      None: () => "No signed checkpoint is kept: the chain proves the events' order, not the absence of a whole rewrite.",
      Matched: (c) => `Latest signed checkpoint (no. ${c.sequence}, ${formatDate(c.createdAt)}, ${c.file}): matches.`,
      NotAuthentic: (c) => `Checkpoint ${c.file} is not signed with the configured key: it proves nothing.`,
      PredatesRetainedEvents: (c) => `Checkpoint no. ${c.sequence} predates the retained events (retention purge).`,
      Contradicted: (c) => `The log contradicts signed checkpoint no. ${c.sequence}: it was rewritten.`,
      NotReached: (c) => `The log stops before signed checkpoint no. ${c.sequence}: it was truncated.`,
    },
    filters: "Filters", kind: "Event kind", allKinds: "All", actor: "Actor (exact user name)", subject: "Object (e.g. release:12, account:alice)",
    from: "From", to: "To (inclusive)", apply: "Filter", export: "Export these events (CSV; the export is itself logged)",
    caption: (n) => `Events, newest first (${n} shown)`, columns: ["No.", "Time", "Actor", "Kind", "Object", "Details"],
    none: "No event matches these filters.", older: "Older events", releases: "Model cards and fairness reports of every release",
  },
};
const t = () => words(texts);

let current = { filters: { kind: "", actor: "", subject: "", from: "", to: "" }, events: [], next: null, verification: undefined };

/** The filters as the API's query: the dates are whole days in the browser's time zone, "to" included. */
function query() {
  const { kind, actor, subject, from, to } = current.filters;
  const params = new URLSearchParams();
  if (kind) params.set("kind", kind);
  if (actor) params.set("actor", actor.trim());
  if (subject) params.set("subject", subject.trim());
  if (from) params.set("from", new Date(`${from}T00:00:00`).toISOString());
  if (to) { const end = new Date(`${to}T00:00:00`); end.setDate(end.getDate() + 1); params.set("to", end.toISOString()); }
  return params;
}

async function load(before) {
  const params = query();
  if (before) params.set("before", before);
  const page = await getJson(`/api/audit/events?${params}`);
  current.events = before ? [...current.events, ...(page?.events ?? [])] : page?.events ?? [];
  current.next = page?.nextBefore ?? null;
}

export async function open() {
  const [verification] = await Promise.all([getJson("/api/audit/verify"), load()]);
  current.verification = verification;
  render();
}

export function render() {
  const heading = element("h2", t().title, { id: "audit-title", tabindex: "-1" });
  $("audit").replaceChildren(heading, chainSection(), filterForm(), eventsSection(),
    element("p").appendChild(screenLink(t().releases, "historique")).parentNode);
  heading.focus();
}

function chainSection() {
  const v = current.verification;
  const section = element("section", undefined, { id: "audit-chain", "aria-labelledby": "audit-chain-title" });
  section.append(element("h3", t().chainTitle, { id: "audit-chain-title" }));
  if (!v) { section.append(element("p", t().unverifiable, { class: "error" })); return section; }
  // The API's messages are "français / English": the page shows its language's half.
  const half = (message) => message.split(" / ")[language() === "fr" ? 0 : 1] ?? message;
  section.append(v.intact ? element("p", t().intact(v), { class: "ok", id: "audit-chain-status" })
    : element("p", `${t().broken} ${half(v.firstBrokenLink?.message ?? v.message)}`, { class: "error", id: "audit-chain-status" }));
  section.append(element("p", (t().checkpoint[v.checkpoint.outcome] ?? (() => v.checkpoint.outcome))(v.checkpoint), { id: "audit-checkpoint" }));
  return section;
}

function filterForm() {
  const form = element("form", undefined, { id: "audit-filters", class: "controls", "aria-label": t().filters });
  const field = (name, text, control) => {
    control.id = `audit-${name}`;
    control.name = name;
    const tag = element("label");
    tag.append(element("span", text), " ", control);
    form.append(tag);
    return control;
  };
  const kind = field("kind", t().kind, element("select"));
  fillSelect(kind, [["", t().allKinds], ...app.auditKinds.map(k => [k.id, `${label(k)} (${k.id})`])], current.filters.kind);
  const inputs = { kind };
  for (const [name, type] of [["actor", "text"], ["subject", "text"], ["from", "date"], ["to", "date"]]) {
    inputs[name] = field(name, t()[name], element("input", undefined, { type, autocomplete: "off" }));
    inputs[name].value = current.filters[name];
  }
  form.append(element("button", t().apply, { type: "submit" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    current.filters = Object.fromEntries(Object.entries(inputs).map(([name, control]) => [name, control.value]));
    await load();
    $("audit-events").replaceWith(eventsSection());
    $("audit-events-table")?.querySelector("caption")?.focus();
  });
  return form;
}

function eventsSection() {
  const section = element("section", undefined, { id: "audit-events", "aria-live": "polite" });
  section.append(element("p").appendChild(element("a", t().export, { href: `/api/audit/events.csv?${query()}`, id: "audit-export", download: "" })).parentNode);
  if (current.events.length === 0) { section.append(element("p", t().none)); return section; }
  const rows = current.events.map(e => [
    { text: String(e.sequence), number: true }, new Date(e.occurredAt).toLocaleString(language() === "fr" ? "fr-FR" : "en-GB"), e.actor, term(app.auditKinds, e.kind), e.subject,
    element("code", JSON.stringify(e.details))]);
  const events = table(t().caption(current.events.length), t().columns, rows, { id: "audit-events-table" });
  events.querySelector("caption").setAttribute("tabindex", "-1");
  section.append(events);
  if (current.next) {
    const more = element("button", t().older, { type: "button", id: "audit-older" });
    more.addEventListener("click", async () => {
      await load(current.next);
      $("audit-events").replaceWith(eventsSection());
      $("audit-older")?.focus();
    });
    section.append(more);
  }
  return section;
}
