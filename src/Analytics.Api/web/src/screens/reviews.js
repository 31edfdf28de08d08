// Releases pending review with their evidence; reviewers decide here, auditors read.
import { $, element } from "../dom.js";
import { language, words } from "../i18n.js";
import { getJson, post, problemText } from "../http.js";
import { app, opens, term } from "../server.js";

const texts = {
  fr: {
    noPending: "Aucune publication n'attend de relecture.",
    releaseHeading: (r) => `${r.specCode} — publication ${r.id}`,
    releaseFacts: (r, verdict) => `Audit d'équité : ${verdict} · lancée par ${r.launchedBy}`,
    fairnessLink: "Rapport d'équité (nouvel onglet)", justification: "Justification écrite (au moins 20 caractères)",
    acknowledgement: "Reconnaissance du verdict d'équité (obligatoire s'il n'est pas conforme)",
    approve: "Approuver la publication", reject: "Rejeter", decided: "Décision enregistrée.",
  },
  en: {
    noPending: "No release awaits review.",
    releaseHeading: (r) => `${r.specCode} — release ${r.id}`,
    releaseFacts: (r, verdict) => `Fairness audit: ${verdict} · launched by ${r.launchedBy}`,
    fairnessLink: "Fairness report (new tab)", justification: "Written justification (at least 20 characters)",
    acknowledgement: "Acknowledgement of the fairness verdict (required unless it passed)",
    approve: "Approve the release", reject: "Reject", decided: "Decision recorded.",
  },
};
const t = () => words(texts);
export async function open() {
  await render();
}

export async function render() {
  const canDecide = opens("decide");
  const list = $("reviews-list");
  const releases = (await getJson("/api/reviews?state=pending_review")) ?? [];
  const parts = releases.length === 0 ? [element("p", t().noPending)] : [];
  for (const release of releases) {
    const article = element("article", undefined, { id: `release-${release.id}`, "aria-labelledby": `release-${release.id}-title` });
    article.append(element("h3", t().releaseHeading(release), { id: `release-${release.id}-title` }),
      element("p", t().releaseFacts(release, term(app.verdicts, release.fairnessVerdict))));
    const link = element("a", t().fairnessLink, { href: `/api/reviews/${release.id}/fairness.html`, target: "_blank", rel: "noopener" });
    article.append(element("p").appendChild(link).parentNode);
    if (canDecide) article.append(decisionForm(release));
    parts.push(article);
  }
  list.replaceChildren(...parts);
}

function decisionForm(release) {
  const form = element("form", undefined, { novalidate: "" });
  const justification = element("textarea", undefined, { id: `justification-${release.id}`, name: "justification" });
  const acknowledgement = element("textarea", undefined, { id: `acknowledgement-${release.id}`, name: "acknowledgement" });
  const outcome = element("p", "", { class: "error", role: "alert", id: `outcome-${release.id}` });
  form.append(element("label", t().justification, { for: justification.id }), justification,
    element("label", t().acknowledgement, { for: acknowledgement.id }), acknowledgement);
  for (const [action, text] of [["approve", t().approve], ["reject", t().reject]]) {
    const button = element("button", text, { type: "button", id: `${action}-${release.id}` });
    button.addEventListener("click", async () => {
      const response = await post(`/api/reviews/${release.id}/${action}`, { justification: justification.value, acknowledgement: acknowledgement.value || null });
      outcome.className = response.ok ? "ok" : "error";
      outcome.textContent = response.ok ? t().decided : await problemText(response, language());
    });
    form.append(button);
  }
  form.append(outcome);
  return form;
}
