// Each model's release in force and its priority list: only what a reviewer approved is served. The list keeps the
// model's order (predicted SIR, the order the fairness audit judges) and marks the communes whose prediction is too
// imprecise for their place to mean much, pointing to planning's order by excess cases.
import { $, element, table, screenLink } from "../dom.js";
import { formatDate, formatNumber, label, language, words } from "../i18n.js";
import { getJson } from "../http.js";
import { opens } from "../server.js";

const texts = {
  fr: {
    title: "Listes prioritaires publiées",
    noRelease: "Aucune publication approuvée en vigueur : rien n'est servi avant la relecture humaine.",
    provenance: (r, period) => `Année ${period} — publication ${r.releaseId}, entraînement ${r.runId}, approuvée par ${r.approvedBy} le ${formatDate(r.approvedAt)}`,
    columns: ["Rang", "Commune", "Code", "RSI prédit", "Intervalle à 90 % (cas)", "Précision"],
    tooUncertain: "trop incertaine", precise: "suffisante",
    order: (uncertain) => `Ordre du modèle : le RSI prédit, du plus élevé au plus faible. ${uncertain} des 20 premières communes sont trop incertaines : leur intervalle à 90 % est plus large que deux fois leurs cas prédits, et un rapport sur si peu de cas peut être élevé par hasard.`,
    planning: "La planification les classe par cas en excès et laisse les trop incertaines sans rang.",
    export: "Télécharger la liste (CSV)", fairness: "Rapport d'équité publié",
  },
  en: {
    title: "Published priority lists",
    noRelease: "No approved release in force: nothing is served before human review.",
    provenance: (r, period) => `Year ${period} — release ${r.releaseId}, run ${r.runId}, approved by ${r.approvedBy} on ${formatDate(r.approvedAt)}`,
    columns: ["Rank", "Commune", "Code", "Predicted SIR", "90% interval (cases)", "Precision"],
    tooUncertain: "too uncertain", precise: "sufficient",
    order: (uncertain) => `The model's order: predicted SIR, highest first. ${uncertain} of the first 20 communes are too uncertain: their 90% interval is wider than twice their predicted cases, and a ratio over so few cases can be high by chance.`,
    planning: "Planning ranks them by excess cases and leaves the too uncertain unranked.",
    export: "Download the list (CSV)", fairness: "Published fairness report",
  },
};
const t = () => words(texts);

export async function open() {
  await render();
}

export async function render() {
  const list = $("publications-list");
  const parts = [];
  for (const model of (await getJson("/api/models")) ?? []) {
    parts.push(element("h3", label(model)));
    const priorities = model.inForce ? await getJson(`/api/models/${encodeURIComponent(model.code)}/priorities`) : null;
    if (!priorities) { parts.push(element("p", t().noRelease)); continue; }
    const shown = priorities.territories.slice(0, 20);
    parts.push(table(t().provenance(priorities.release, priorities.period), t().columns,
      shown.map(p => [
        { text: String(p.rank), number: true }, screenLink(p.name, `territoire/commune/${encodeURIComponent(p.code)}`), p.code,
        { text: formatNumber(p.predictedSir), number: true }, { text: `${p.intervalLow} – ${p.intervalHigh}`, number: true },
        p.tooUncertain ? t().tooUncertain : t().precise,
      ]), { id: `priorities-${model.code}` }));
    const order = element("p", t().order(shown.filter(p => p.tooUncertain).length), { class: "provenance" });
    if (opens("planning")) order.append(" ", screenLink(t().planning, "planification"));
    parts.push(order);
    const links = element("p");
    links.append(element("a", t().export, { href: `/api/models/${encodeURIComponent(model.code)}/priorities.csv` }), " · ",
      element("a", t().fairness, { href: `/api/models/${encodeURIComponent(model.code)}/fairness.html?lang=${language()}`, target: "_blank", rel: "noopener" }));
    parts.push(links);
  }
  list.replaceChildren(...parts);
}
