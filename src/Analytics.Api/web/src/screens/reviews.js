// The review desk: the queue of releases pending review (#/relecture) and one release's page (#/relecture/12) with
// what a reviewer reads before deciding — the model card, cross-validated metrics against the release in force, the
// factors (the champion's rate ratios and permutation importance), the fairness verdicts per group, data quality, the
// changes against the release in force, analysts' open comments and the exclusions — then the decision, each button
// saying why it is disabled. Auditors read the same pages.
import { $, element, screenLink, table } from "../dom.js";
import { formatDate, formatNumber, label, language, words } from "../i18n.js";
import { getJson, post, problemText } from "../http.js";
import { app, catalogue, modelName, opens, term } from "../server.js";
import { fairnessChart, fairnessRows } from "./fairness.js";
import { changesMap } from "./changes.js";

const metricNames = {
  fr: { MeanPoissonDeviance: "Déviance de Poisson moyenne (plus bas = mieux)", CalibrationSlope: "Pente de calibration (idéal 1)",
    CalibrationIntercept: "Ordonnée de calibration (idéal 0)", SpearmanRank: "Corrélation des rangs (Spearman)",
    MaeRatePer100000: "Erreur absolue moyenne des taux (pour 100 000)", ObservedOverExpected: "Observés / attendus (idéal 1)" },
  en: { MeanPoissonDeviance: "Mean Poisson deviance (lower is better)", CalibrationSlope: "Calibration slope (ideal 1)",
    CalibrationIntercept: "Calibration intercept (ideal 0)", SpearmanRank: "Rank correlation (Spearman)",
    MaeRatePer100000: "Mean absolute error of rates (per 100,000)", ObservedOverExpected: "Observed / expected (ideal 1)" },
};

const texts = {
  fr: {
    queueTitle: "Publications en attente de relecture", noPending: "Aucune publication n'attend de relecture.",
    queueItem: (r, verdict) => `publication ${r.id}, entraînée le ${formatDate(r.createdAt)}, lancée par ${r.launchedBy} — audit d'équité : ${verdict}`,
    history: "Historique de toutes les publications",
    back: "Retour à la file de relecture", notFound: "Publication inconnue.",
    title: (model, r, state) => `${model} — publication ${r.id} (${state})`,
    facts: (r) => `Entraînement ${r.runId}, lancé par ${r.launchedBy}, publication créée le ${formatDate(r.createdAt)}. Empreinte du contenu : ${r.contentSha256.slice(0, 12)}…`,
    decisionTitle: "Décision", justification: "Justification écrite", acknowledgement: "Reconnaissance du verdict d'équité",
    acknowledgementNeeded: (verdict) => `L'audit d'équité conclut « ${verdict} » : l'approbation demande une reconnaissance écrite.`,
    approve: "Approuver la publication", reject: "Rejeter la publication", revoke: "Révoquer la publication en vigueur",
    blockedBecause: "Pourquoi un bouton est désactivé :", writeAtLeast: (n) => `au moins ${n} caractères visibles`,
    textMissing: (what, n) => `${what} : il manque encore du texte (au moins ${n} caractères visibles).`,
    decided: { approve: "Publication approuvée : elle est maintenant en vigueur.", reject: "Publication rejetée.", revoke: "Publication révoquée : elle n'est plus servie." },
    decidedFacts: (r) => `Décidée par ${r.decidedBy} le ${formatDate(r.decidedAt)} : « ${r.justification} »` + (r.acknowledgement ? ` — reconnaissance : « ${r.acknowledgement} »` : ""),
    revokedFacts: (r) => `Révoquée par ${r.revokedBy} le ${formatDate(r.revokedAt)} : « ${r.revokeReason} »`,
    cardTitle: "Fiche du modèle (résumé)", intendedUse: "Usage prévu", method: "Méthode", spatial: "Effet spatial (BYM2)", footprint: "Empreinte du calcul", data: "Données", limits: "Limites connues", notFor: "Ne sert pas à",
    metricsTitle: "Performance en validation croisée spatiale",
    metricsCaption: (inForce) => inForce ? `Modèle retenu de cette publication face à celui de la publication en vigueur (${inForce.id})` : "Modèle retenu de cette publication (aucune publication en vigueur à comparer)",
    metricsColumns: (inForce) => ["Indicateur", "Cette publication", ...(inForce ? [`En vigueur (${inForce.id})`] : [])],
    champion: (c, rule) => `Modèle retenu : ${{ poisson: "régression de Poisson", boosted: "arbres boostés", bym2: "régression de Poisson avec effet spatial BYM2" }[c] ?? c} (règle : ${rule}).`,
    factorsTitle: "Facteurs du modèle",
    coefficientsCaption: (source) => `Rapport de taux par unité de chaque covariable, intervalle à 95 % — ${source}`,
    coefficientsColumns: ["Covariable", "Rapport de taux", "Intervalle à 95 %"],
    importanceCaption: "Importance par permutation du modèle retenu : hausse de la déviance hors échantillon quand la covariable est mélangée",
    importanceColumns: ["Covariable", "Hausse de la déviance", "Écart-type"],
    fairnessTitle: "Audit d'équité territoriale",
    fairnessFacts: (before, after) => `Verdict du modèle tel qu'entraîné : ${before} ; après repondération : ${after}.`,
    fairnessReport: "Rapport d'équité complet (nouvel onglet)",
    qualityTitle: "Qualité des données", rowsModelled: "Lignes modélisées", rowsLeftOut: "Lignes écartées", suppressedCounts: "Comptes sous le secret statistique",
    quarantinedRows: "Lignes en quarantaine des lots sources", sourceBatches: "Lots sources", coverage: "Couverture des expositions",
    diffTitle: "Changements par rapport à la publication en vigueur",
    firstRelease: "Première publication de ce modèle : rien à comparer.",
    against: (run) => `Comparée à la publication en vigueur (entraînement ${run}).`,
    entering: (n) => `Entrent dans la liste prioritaire (${n})`, leaving: (n) => `Sortent de la liste prioritaire (${n})`, noneMoved: "aucun",
    changesCaption: "Plus fortes variations du RSI prédit", changesColumns: ["Commune", "Avant", "Après", "Variation"],
    itemsTitle: "Commentaires d'analystes à traiter", noItems: "Aucun commentaire ouvert sur ce modèle.",
    item: (i) => `${i.author}, le ${formatDate(i.createdAt)}, sur la commune ${i.territory} : « ${i.comment} »`,
    accept: "Accepter", decline: "Refuser avec motif", declineReason: "Motif du refus", answered: "Réponse enregistrée.",
    exclusionsTitle: "Territoires exclus de la publication", noExclusions: "Aucun territoire exclu.",
    exclusionItem: (x) => `${x.territory} — ${x.reason} (${x.by}, ${formatDate(x.at)})`,
    exclusionTerritory: "Code INSEE de la commune à exclure", exclusionReason: "Motif de l'exclusion", exclude: "Exclure ce territoire", excluded: "Territoire exclu.",
  },
  en: {
    queueTitle: "Releases awaiting review", noPending: "No release awaits review.",
    queueItem: (r, verdict) => `release ${r.id}, trained on ${formatDate(r.createdAt)}, launched by ${r.launchedBy} — fairness audit: ${verdict}`,
    history: "History of every release",
    back: "Back to the review queue", notFound: "Unknown release.",
    title: (model, r, state) => `${model} — release ${r.id} (${state})`,
    facts: (r) => `Run ${r.runId}, launched by ${r.launchedBy}, release created on ${formatDate(r.createdAt)}. Content hash: ${r.contentSha256.slice(0, 12)}…`,
    decisionTitle: "Decision", justification: "Written justification", acknowledgement: "Acknowledgement of the fairness verdict",
    acknowledgementNeeded: (verdict) => `The fairness audit says "${verdict}": approval needs a written acknowledgement.`,
    approve: "Approve the release", reject: "Reject the release", revoke: "Revoke the release in force",
    blockedBecause: "Why a button is disabled:", writeAtLeast: (n) => `at least ${n} visible characters`,
    textMissing: (what, n) => `${what}: more text is needed (at least ${n} visible characters).`,
    decided: { approve: "Release approved: it is now in force.", reject: "Release rejected.", revoke: "Release revoked: it is no longer served." },
    decidedFacts: (r) => `Decided by ${r.decidedBy} on ${formatDate(r.decidedAt)}: "${r.justification}"` + (r.acknowledgement ? ` — acknowledgement: "${r.acknowledgement}"` : ""),
    revokedFacts: (r) => `Revoked by ${r.revokedBy} on ${formatDate(r.revokedAt)}: "${r.revokeReason}"`,
    cardTitle: "Model card (summary)", intendedUse: "Intended use", method: "Method", spatial: "Spatial effect (BYM2)", footprint: "Computing footprint", data: "Data", limits: "Known limits", notFor: "Not for",
    metricsTitle: "Spatially cross-validated performance",
    metricsCaption: (inForce) => inForce ? `This release's champion beside the release in force (${inForce.id})` : "This release's champion (no release in force to compare with)",
    metricsColumns: (inForce) => ["Metric", "This release", ...(inForce ? [`In force (${inForce.id})`] : [])],
    champion: (c, rule) => `Champion: ${{ poisson: "Poisson regression", boosted: "boosted trees", bym2: "Poisson regression with a BYM2 spatial effect" }[c] ?? c} (rule: ${rule}).`,
    factorsTitle: "Model factors",
    coefficientsCaption: (source) => `Rate ratio per unit of each covariate, 95% interval — ${source}`,
    coefficientsColumns: ["Covariate", "Rate ratio", "95% interval"],
    importanceCaption: "Permutation importance of the champion: rise of the out-of-fold deviance when the covariate is shuffled",
    importanceColumns: ["Covariate", "Deviance rise", "Standard deviation"],
    fairnessTitle: "Territorial fairness audit",
    fairnessFacts: (before, after) => `Verdict of the model as trained: ${before}; after reweighting: ${after}.`,
    fairnessReport: "Whole fairness report (new tab)",
    qualityTitle: "Data quality", rowsModelled: "Rows modelled", rowsLeftOut: "Rows left out", suppressedCounts: "Counts under statistical secrecy",
    quarantinedRows: "Quarantined rows of the source batches", sourceBatches: "Source batches", coverage: "Exposure coverage",
    diffTitle: "Changes against the release in force",
    firstRelease: "First release of this model: nothing to compare with.",
    against: (run) => `Compared with the release in force (run ${run}).`,
    entering: (n) => `Entering the priority list (${n})`, leaving: (n) => `Leaving the priority list (${n})`, noneMoved: "none",
    changesCaption: "Largest changes of predicted SIR", changesColumns: ["Commune", "Before", "After", "Change"],
    itemsTitle: "Analysts' comments to answer", noItems: "No open comment on this model.",
    item: (i) => `${i.author}, on ${formatDate(i.createdAt)}, about commune ${i.territory}: "${i.comment}"`,
    accept: "Accept", decline: "Decline with a reason", declineReason: "Reason for declining", answered: "Answer recorded.",
    exclusionsTitle: "Territories kept out of the release", noExclusions: "No territory kept out.",
    exclusionItem: (x) => `${x.territory} — ${x.reason} (${x.by}, ${formatDate(x.at)})`,
    exclusionTerritory: "INSEE code of the commune to keep out", exclusionReason: "Reason for the exclusion", exclude: "Keep this territory out", excluded: "Territory kept out.",
  },
};
const t = () => words(texts);

/** Refusals no text can lift: the button stays disabled and says why. */
const blocking = new Set(["not_pending", "four_eyes", "open_review_items", "not_published"]);

let current = { id: null, outcome: null };

export async function open([id]) {
  current = { id: id ? Number(id) : null, outcome: null };
  await render();
}

export async function render() {
  if (current.id === null) await renderQueue();
  else await renderRelease();
}

async function renderQueue() {
  const releases = (await getJson("/api/reviews?state=pending_review")) ?? [];
  const list = element("ul", undefined, { id: "review-queue" });
  for (const r of releases)
    list.append(element("li").appendChild(screenLink(`${modelName(r.specCode)} — ${t().queueItem(r, term(app.verdicts, r.fairnessVerdict))}`, `relecture/${r.id}`)).parentNode);
  const heading = element("h2", t().queueTitle, { id: "reviews-title", tabindex: "-1" });
  $("reviews").replaceChildren(heading, releases.length ? list : element("p", t().noPending),
    element("p").appendChild(screenLink(t().history, "historique")).parentNode);
}

async function renderRelease() {
  const id = current.id;
  const [file, fairness, changes, items, approved, standing, indicators] = await Promise.all([
    getJson(`/api/reviews/${id}`), getJson(`/api/reviews/${id}/fairness`), getJson(`/api/reviews/${id}/changes`), getJson("/api/reviews/items?state=open"),
    getJson("/api/reviews?state=approved"), opens("decide") ? getJson(`/api/reviews/${id}/standing`) : null, catalogue(),
  ]);
  const section = $("reviews");
  if (!file) {
    section.replaceChildren(element("h2", t().notFound, { id: "reviews-title", tabindex: "-1" }), element("p").appendChild(screenLink(t().back, "relecture")).parentNode);
    return;
  }
  const inForceSummary = (approved ?? []).find(r => r.specCode === file.model && r.id !== file.id);
  const inForce = inForceSummary ? await getJson(`/api/reviews/${inForceSummary.id}`) : null;
  const state = term(app.releaseStates, file.state);
  const heading = element("h2", t().title(modelName(file.model), file, state), { id: "reviews-title", tabindex: "-1" });
  const parts = [heading, element("p").appendChild(screenLink(t().back, "relecture")).parentNode, element("p", t().facts(file))];
  if (file.decidedBy) parts.push(element("p", t().decidedFacts(file), { class: "provenance" }));
  if (file.revokedBy) parts.push(element("p", t().revokedFacts(file), { class: "provenance" }));
  if (standing) parts.push(decisionSection(file, standing));
  parts.push(cardSection(file), metricsSection(file, inForce), factorsSection(file, indicators), fairnessSection(file, fairness), qualitySection(file), diffSection(file, changes ?? []),
    itemsSection(file, (items ?? []).filter(i => i.model === file.model)), exclusionsSection(file));
  section.replaceChildren(...parts);
  heading.focus();
}

/** A titled subsection of the release page. */
function part(id, title, ...content) {
  const node = element("section", undefined, { id, "aria-labelledby": `${id}-title` });
  node.append(element("h3", title, { id: `${id}-title` }), ...content);
  return node;
}

function textArea(id, label) {
  const area = element("textarea", undefined, { id, name: id });
  const tag = element("label", label, { for: id });
  return { area, tag };
}

const visibleLength = (text) => text.replace(/\s/gu, "").length;

/**
 * The decision: the server's rules say, before anything is written, which refusals stand; those no text can lift
 * disable their button, the texts still missing are named beside it and lift it once written.
 */
function decisionSection(file, standing) {
  const min = standing.minimumTextLength;
  const justification = textArea("justification", `${t().justification} (${t().writeAtLeast(min)})`);
  const acknowledgement = textArea("acknowledgement", `${t().acknowledgement} (${t().writeAtLeast(min)})`);
  const outcome = element("p", current.outcome?.text ?? "", { id: "decision-outcome", role: "alert", class: current.outcome?.ok ? "ok" : "error" });
  const actions = file.state === "pending_review" ? [["approve", standing.approve], ["reject", standing.reject]]
    : file.state === "approved" ? [["revoke", standing.revoke]] : [];
  if (actions.length === 0) return part("decision", t().decisionTitle, outcome);
  const form = element("form", undefined, { novalidate: "", class: "decision" });
  form.append(justification.tag, justification.area);
  if (standing.approve.some(r => r.code === "acknowledgement") && file.state === "pending_review")
    form.append(element("p", t().acknowledgementNeeded(term(app.verdicts, file.fairnessVerdict))), acknowledgement.tag, acknowledgement.area);
  const reasonsIntro = element("p", t().blockedBecause);
  const reasons = element("ul", undefined, { id: "decision-reasons" });
  const buttons = new Map(actions.map(([action]) => [action, element("button", t()[action], { type: "button", id: action, "aria-describedby": "decision-reasons" })]));
  const refresh = () => {
    const lines = [];
    for (const [action, refusals] of actions) {
      const blockers = refusals.filter(r => blocking.has(r.code)).map(r => r[language()]);
      const missing = refusals.filter(r => !blocking.has(r.code))
        .map(r => r.code === "acknowledgement" ? [t().acknowledgement, acknowledgement.area] : [t().justification, justification.area])
        .filter(([, area]) => visibleLength(area.value) < min).map(([what]) => t().textMissing(what, min));
      buttons.get(action).disabled = blockers.length + missing.length > 0;
      lines.push(...[...blockers, ...missing].map(reason => `${t()[action]} — ${reason}`));
    }
    reasons.replaceChildren(...lines.map(l => element("li", l)));
    reasonsIntro.hidden = reasons.hidden = lines.length === 0;
  };
  for (const [action, button] of buttons) {
    button.addEventListener("click", async () => {
      const response = await post(`/api/reviews/${file.id}/${action}`, { justification: justification.area.value, acknowledgement: acknowledgement.area.value || null });
      current.outcome = { ok: response.ok, text: response.ok ? t().decided[action] : await problemText(response, language()) };
      if (response.ok) await render();
      else { outcome.className = "error"; outcome.textContent = current.outcome.text; }
    });
  }
  justification.area.addEventListener("input", refresh);
  acknowledgement.area.addEventListener("input", refresh);
  form.append(element("p", undefined, { class: "controls" }), reasonsIntro, reasons, outcome);
  form.querySelector(".controls").append(...buttons.values());
  refresh();
  return part("decision", t().decisionTitle, form);
}

function cardSection(file) {
  const card = file.modelCard ?? {};
  const words = (entry) => entry ? (language() === "fr" ? entry.Fr : entry.En) : "—";
  const list = element("dl");
  for (const [key, name] of [["IntendedUse", t().intendedUse], ["Method", t().method], ["Spatial", t().spatial], ["Data", t().data], ["NotFor", t().notFor], ["Footprint", t().footprint]])
    if (card[key] || !["Spatial", "Footprint"].includes(key)) list.append(element("dt", name), element("dd", words(card[key])));
  const limits = element("ul");
  for (const limit of card.Limits ?? []) limits.append(element("li", words(limit)));
  list.append(element("dt", t().limits), element("dd").appendChild(limits).parentNode);
  return part("card", `${t().cardTitle} — ${words(card.Title)}`, list);
}

function metricsSection(file, inForce) {
  const ours = file.metrics?.[file.champion] ?? {};
  const theirs = inForce ? inForce.metrics?.[inForce.champion] ?? {} : null;
  const rows = Object.keys(metricNames.en).map(key => [
    { text: words(metricNames)[key], header: true }, { text: formatNumber(ours[key], 3), number: true },
    ...(theirs ? [{ text: formatNumber(theirs[key], 3), number: true }] : [])]);
  return part("metrics", t().metricsTitle, element("p", t().champion(file.champion, term(app.championRules, file.championRule))),
    table(t().metricsCaption(inForce), t().metricsColumns(inForce), rows));
}

/** The champion's rate ratios with their intervals, and the permutation importance of its covariates. */
function factorsSection(file, indicators) {
  const name = (code) => label(indicators.find(i => i.code === code)) || code;
  const coefficients = (file.championCoefficients ?? []).filter(c => c.name !== "(intercept)").map(c => [
    { text: name(c.name), header: true }, { text: formatNumber(c.rateRatio, 3), number: true },
    { text: `${formatNumber(c.rateRatioLow, 3)} – ${formatNumber(c.rateRatioHigh, 3)}`, number: true }]);
  const importance = (file.importance ?? []).map(f => [
    { text: name(f.Feature), header: true }, { text: formatNumber(f.DevianceIncrease, 4), number: true }, { text: formatNumber(f.StandardDeviation, 4), number: true }]);
  return part("factors", t().factorsTitle, table(t().coefficientsCaption(term(app.coefficientSources, file.champion)), t().coefficientsColumns, coefficients, { id: "review-coefficients" }),
    table(t().importanceCaption, t().importanceColumns, importance, { id: "review-importance" }));
}

function fairnessSection(file, fairness) {
  const facts = element("p", t().fairnessFacts(term(app.verdicts, file.fairnessVerdict), term(app.verdicts, file.fairnessAfterMitigation)));
  const link = element("a", t().fairnessReport, { href: `/api/reviews/${file.id}/fairness.html?lang=${language()}`, target: "_blank", rel: "noopener" });
  return part("fairness", t().fairnessTitle, facts, ...(fairness ? [fairnessChart(fairness), fairnessRows(fairness)] : []), element("p").appendChild(link).parentNode);
}

function qualitySection(file) {
  const q = file.dataQuality ?? {};
  const list = element("dl");
  const leftOut = Object.entries(q.rowsLeftOut ?? {}).map(([why, n]) => `${why} : ${formatNumber(n, 0)}`).join(", ");
  const coverage = Object.entries(q.exposureCoverage ?? {}).map(([what, share]) => `${what} ${formatNumber(share * 100, 1)} %`).join(", ");
  for (const [name, value] of [[t().rowsModelled, formatNumber(q.rowsModelled, 0)], [t().rowsLeftOut, leftOut || "0"],
    [t().suppressedCounts, formatNumber(q.suppressedCounts, 0)], [t().quarantinedRows, formatNumber(q.quarantinedRows, 0)],
    [t().sourceBatches, (q.sourceBatches ?? []).join(", ")], [t().coverage, coverage || "—"]])
    list.append(element("dt", name), element("dd", value));
  return part("quality", t().qualityTitle, list);
}

function diffSection(file, changes) {
  const diff = file.diff ?? {};
  if (diff.againstRun === null || diff.againstRun === undefined) return part("diff", t().diffTitle, element("p", t().firstRelease));
  const communes = (codes) => {
    if (!codes?.length) return element("p", t().noneMoved);
    const list = element("ul", undefined, { class: "inline" });
    for (const code of codes) list.append(element("li").appendChild(screenLink(code, `territoire/commune/${encodeURIComponent(code)}`)).parentNode);
    return list;
  };
  return part("diff", t().diffTitle, element("p", t().against(diff.againstRun)), ...(changes.length ? [changesMap(changes)] : []),
    element("h4", t().entering(diff.entering?.length ?? 0)), communes(diff.entering),
    element("h4", t().leaving(diff.leaving?.length ?? 0)), communes(diff.leaving),
    table(t().changesCaption, t().changesColumns, (diff.largestChanges ?? []).map(c => [
      screenLink(c.territory, `territoire/commune/${encodeURIComponent(c.territory)}`), { text: formatNumber(c.before, 3), number: true },
      { text: formatNumber(c.after, 3), number: true }, { text: formatNumber(c.after - c.before, 3), number: true }])));
}

/** Analysts' open comments on the model; a reviewer accepts one, or declines it with a reason. */
function itemsSection(file, items) {
  if (items.length === 0) return part("items", t().itemsTitle, element("p", t().noItems));
  const list = element("ul", undefined, { class: "items" });
  for (const item of items) {
    const entry = element("li", undefined, { id: `item-${item.id}` });
    entry.append(element("p", t().item(item)));
    if (opens("decide")) {
      const reason = textArea(`item-reason-${item.id}`, t().declineReason);
      const outcome = element("p", "", { role: "alert", class: "error", id: `item-outcome-${item.id}` });
      const form = element("form", undefined, { novalidate: "" });
      const controls = element("p", undefined, { class: "controls" });
      for (const [accepted, text] of [[true, t().accept], [false, t().decline]]) {
        const button = element("button", text, { type: "button", id: `${accepted ? "accept" : "decline"}-${item.id}` });
        button.addEventListener("click", async () => {
          const response = await post(`/api/reviews/items/${item.id}/answer`, { accepted, reason: reason.area.value || null });
          if (response.ok) { current.outcome = { ok: true, text: t().answered }; await render(); }
          else outcome.textContent = await problemText(response, language());
        });
        controls.append(button);
      }
      form.append(reason.tag, reason.area, controls, outcome);
      entry.append(form);
    }
    list.append(entry);
  }
  return part("items", t().itemsTitle, list);
}

function exclusionsSection(file) {
  const content = [];
  const exclusions = file.exclusions ?? [];
  if (exclusions.length === 0) content.push(element("p", t().noExclusions));
  else {
    const list = element("ul");
    for (const x of exclusions) list.append(element("li", t().exclusionItem(x)));
    content.push(list);
  }
  if (opens("decide") && file.state === "pending_review") {
    const form = element("form", undefined, { novalidate: "", id: "exclusion-form" });
    const territory = element("input", undefined, { id: "exclusion-territory", name: "territory", autocomplete: "off" });
    const reason = textArea("exclusion-reason", t().exclusionReason);
    const outcome = element("p", "", { role: "alert", class: "error", id: "exclusion-outcome" });
    const button = element("button", t().exclude, { type: "submit" });
    form.append(element("label", t().exclusionTerritory, { for: territory.id }), territory, reason.tag, reason.area, button, outcome);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const response = await post(`/api/reviews/${file.id}/exclusions`, { territory: territory.value, reason: reason.area.value });
      if (response.ok) { current.outcome = { ok: true, text: t().excluded }; await render(); }
      else outcome.textContent = await problemText(response, language());
    });
    content.push(form);
  }
  return part("exclusions", t().exclusionsTitle, ...content);
}
