// Every release, newest first, whatever became of it (#/historique): who launched it, who decided, when, with the
// justification and acknowledgement given; rejected and revoked releases stay in view. For reviewers and auditors.
import { $, element, screenLink, table } from "../dom.js";
import { formatDate, language, words } from "../i18n.js";
import { getJson } from "../http.js";
import { app, modelName, term } from "../server.js";

const texts = {
  fr: {
    title: "Historique des publications", none: "Aucune publication n'a encore été créée.",
    caption: "Toutes les publications, les plus récentes d'abord",
    columns: ["Publication", "Modèle", "État", "Créée le", "Lancée par", "Décidée par", "Décidée le", "Justification", "Reconnaissance", "Révocation"],
    revoked: (r) => `${r.revokedBy}, le ${formatDate(r.revokedAt)} : ${r.revokeReason}`, fairness: "rapport d'équité",
  },
  en: {
    title: "History of releases", none: "No release has been created yet.",
    caption: "Every release, newest first",
    columns: ["Release", "Model", "State", "Created on", "Launched by", "Decided by", "Decided on", "Justification", "Acknowledgement", "Revocation"],
    revoked: (r) => `${r.revokedBy}, on ${formatDate(r.revokedAt)}: ${r.revokeReason}`, fairness: "fairness report",
  },
};
const t = () => words(texts);

export async function open() {
  await render();
}

export async function render() {
  const releases = (await getJson("/api/reviews")) ?? [];
  const heading = element("h2", t().title, { id: "history-title", tabindex: "-1" });
  const content = releases.length === 0 ? element("p", t().none) : table(t().caption, t().columns, releases.map(r => {
    const links = element("span");
    links.append(screenLink(String(r.id), `relecture/${r.id}`), " (",
      element("a", t().fairness, { href: `/api/reviews/${r.id}/fairness.html?lang=${language()}`, target: "_blank", rel: "noopener" }), ")");
    return [links, modelName(r.specCode), term(app.releaseStates, r.state), formatDate(r.createdAt), r.launchedBy,
      r.decidedBy ?? "—", r.decidedAt ? formatDate(r.decidedAt) : "—", r.justification ?? "—", r.acknowledgement ?? "—",
      r.revokedBy ? t().revoked(r) : "—"];
  }), { id: "history-table" });
  $("history").replaceChildren(heading, content);
}
