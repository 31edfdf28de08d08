// Each model's release in force and its priority list: only what a reviewer approved is served.
import { $, element, table, screenLink } from "../dom.js";
import { formatDate, formatNumber, label, language, words } from "../i18n.js";
import { getJson } from "../http.js";

const texts = {
  fr: {
    title: "Listes prioritaires publiées",
    noRelease: "Aucune publication approuvée en vigueur : rien n'est servi avant la relecture humaine.",
    provenance: (r, period) => `Année ${period} — publication ${r.releaseId}, entraînement ${r.runId}, approuvée par ${r.approvedBy} le ${formatDate(r.approvedAt)}`,
    columns: ["Rang", "Commune", "Code", "RSI prédit", "Intervalle à 90 % (cas)"],
    export: "Télécharger la liste (CSV)", fairness: "Rapport d'équité publié",
  },
  en: {
    title: "Published priority lists",
    noRelease: "No approved release in force: nothing is served before human review.",
    provenance: (r, period) => `Year ${period} — release ${r.releaseId}, run ${r.runId}, approved by ${r.approvedBy} on ${formatDate(r.approvedAt)}`,
    columns: ["Rank", "Commune", "Code", "Predicted SIR", "90% interval (cases)"],
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
    parts.push(table(t().provenance(priorities.release, priorities.period), t().columns,
      priorities.territories.slice(0, 20).map(p => [
        { text: String(p.rank), number: true }, screenLink(p.name, `territoire/commune/${encodeURIComponent(p.code)}`), p.code,
        { text: formatNumber(p.predictedSir), number: true }, { text: `${p.intervalLow} – ${p.intervalHigh}`, number: true },
      ]), { id: `priorities-${model.code}` }));
    const links = element("p");
    links.append(element("a", t().export, { href: `/api/models/${encodeURIComponent(model.code)}/priorities.csv` }), " · ",
      element("a", t().fairness, { href: `/api/models/${encodeURIComponent(model.code)}/fairness.html?lang=${language()}`, target: "_blank", rel: "noopener" }));
    parts.push(links);
  }
  list.replaceChildren(...parts);
}
