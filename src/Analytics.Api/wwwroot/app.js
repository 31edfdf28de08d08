// The web app's shell: sign-in (password, then second factor), session, language. Talks only to this server.
"use strict";

const texts = {
  fr: {
    skip: "Aller au contenu", title: "Une seule santé — analyses territoriales", signInTitle: "Connexion",
    userName: "Identifiant", password: "Mot de passe", signIn: "Se connecter", sessionTitle: "Votre session",
    signedInAs: "Connecté·e en tant que", roles: "rôles", apiLink: "Référence de l'API (OpenAPI)",
    jobsLink: "Tableau de bord des traitements", signOut: "Se déconnecter",
    mapTitle: "Carte des indicateurs", mapCondition: "Indicateur", mapStatistic: "Statistique", mapLevel: "Niveau", mapPeriod: "Période", other: "English", otherLabel: "Switch to English",
    failed: "Identifiant ou mot de passe incorrect, ou compte bloqué un moment après trop d'échecs.",
    missing: "Saisissez votre identifiant et votre mot de passe.",
    tooMany: "Trop de tentatives de connexion : réessayez dans une minute.",
    codeTitle: "Code de vérification", codeLabel: "Code à 6 chiffres de votre application d'authentification",
    verify: "Vérifier", wrongCode: "Code incorrect, expiré ou déjà utilisé. Attendez le code suivant si besoin.",
    missingCode: "Saisissez le code à 6 chiffres.", expired: "La connexion a expiré : saisissez à nouveau votre mot de passe.",
    enrolTitle: "Activer la double authentification",
    enrolIntro: "Votre rôle demande un second facteur. Ajoutez cette clé dans une application d'authentification (TOTP), puis saisissez le code qu'elle affiche. La clé n'est montrée qu'une fois.",
    enrolKey: "Clé", enrolLink: "Ouvrir dans l'application d'authentification (sur ce téléphone)", activate: "Activer",
    publicationsTitle: "Listes prioritaires publiées", reviewsTitle: "Publications en attente de relecture",
    noRelease: "Aucune publication approuvée en vigueur : rien n'est servi avant la relecture humaine.",
    provenance: (r, period) => `Année ${period} — publication ${r.releaseId}, entraînement ${r.runId}, approuvée par ${r.approvedBy} le ${new Date(r.approvedAt).toLocaleDateString("fr-FR")}`,
    columns: ["Rang", "Commune", "Code", "RSI prédit", "Intervalle à 90 % (cas)"],
    noPending: "Aucune publication n'attend de relecture.",
    releaseHeading: (r) => `${r.specCode} — publication ${r.id}`,
    releaseFacts: (r) => `Audit d'équité : ${verdictName(r.fairnessVerdict)} · lancée par ${r.launchedBy}`,
    fairnessLink: "Rapport d'équité (nouvel onglet)", justification: "Justification écrite (au moins 20 caractères)",
    acknowledgement: "Reconnaissance du verdict d'équité (obligatoire s'il n'est pas conforme)",
    approve: "Approuver la publication", reject: "Rejeter", decided: "Décision enregistrée.",
  },
  en: {
    skip: "Skip to content", title: "One Health — territorial analytics", signInTitle: "Sign in",
    userName: "User name", password: "Password", signIn: "Sign in", sessionTitle: "Your session",
    signedInAs: "Signed in as", roles: "roles", apiLink: "API reference (OpenAPI)",
    jobsLink: "Jobs dashboard", signOut: "Sign out",
    mapTitle: "Indicator map", mapCondition: "Indicator", mapStatistic: "Statistic", mapLevel: "Level", mapPeriod: "Period", other: "Français", otherLabel: "Passer en français",
    failed: "Wrong user name or password, or account locked for a while after too many failures.",
    missing: "Enter your user name and password.",
    tooMany: "Too many sign-in attempts: try again in a minute.",
    codeTitle: "Verification code", codeLabel: "6-digit code from your authenticator app",
    verify: "Verify", wrongCode: "Wrong, expired or already used code. Wait for the next code if needed.",
    missingCode: "Enter the 6-digit code.", expired: "Signing in expired: enter your password again.",
    enrolTitle: "Turn on two-step sign-in",
    enrolIntro: "Your role needs a second factor. Add this key to an authenticator app (TOTP), then enter the code it shows. The key is shown only once.",
    enrolKey: "Key", enrolLink: "Open in the authenticator app (on this phone)", activate: "Turn on",
    publicationsTitle: "Published priority lists", reviewsTitle: "Releases awaiting review",
    noRelease: "No approved release in force: nothing is served before human review.",
    provenance: (r, period) => `Year ${period} — release ${r.releaseId}, run ${r.runId}, approved by ${r.approvedBy} on ${new Date(r.approvedAt).toLocaleDateString("en-GB")}`,
    columns: ["Rank", "Commune", "Code", "Predicted SIR", "90% interval (cases)"],
    noPending: "No release awaits review.",
    releaseHeading: (r) => `${r.specCode} — release ${r.id}`,
    releaseFacts: (r) => `Fairness audit: ${verdictName(r.fairnessVerdict)} · launched by ${r.launchedBy}`,
    fairnessLink: "Fairness report (new tab)", justification: "Written justification (at least 20 characters)",
    acknowledgement: "Acknowledgement of the fairness verdict (required unless it passed)",
    approve: "Approve the release", reject: "Reject", decided: "Decision recorded.",
  },
};
let language = localStorage.getItem("language") || "fr";
let antiforgery = null; // { headerName, token } of the open session
let shell = { screens: [], verdicts: [] }; // the screens open to the caller and the verdicts' names, from /api/app

/** A verdict's words as the server names them, in the page's language. */
function verdictName(id) {
  const verdict = shell.verdicts.find(v => v.id === id);
  return verdict ? verdict[language] : id;
}

function applyLanguage() {
  const t = texts[language];
  document.documentElement.lang = language;
  document.title = t.title;
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t[element.dataset.i18n];
  const toggle = document.getElementById("language");
  toggle.textContent = t.other;
  toggle.setAttribute("aria-label", t.otherLabel);
  // Screens drawn by modules (the map explorer) re-render their own words.
  document.dispatchEvent(new CustomEvent("languagechange", { detail: language }));
}

function show(sectionId) {
  for (const id of ["sign-in", "second-factor", "enrolment", "session"]) document.getElementById(id).hidden = id !== sectionId;
  const heading = document.querySelector(`#${sectionId} h2`);
  heading.focus?.();
}

async function showSession() {
  const response = await fetch("/api/me", { credentials: "same-origin" });
  if (!response.ok) { antiforgery = null; show("sign-in"); return; }
  const me = await response.json();
  document.getElementById("who").textContent = me.displayName;
  document.getElementById("roles").textContent = me.roles.join(", ");
  // Which screens open is the server's answer from its route table: the page repeats no role.
  shell = await (await fetch("/api/app", { credentials: "same-origin" })).json();
  const opens = (screen) => shell.screens.includes(screen);
  document.getElementById("jobs-link").hidden = !opens("jobs");
  // Every POST, PUT, PATCH and DELETE of the session carries this token.
  antiforgery = await (await fetch("/api/auth/antiforgery", { credentials: "same-origin" })).json();
  show("session");
  document.getElementById("map-explorer").hidden = !opens("map");
  if (opens("map")) document.dispatchEvent(new CustomEvent("mapopen", { detail: language }));
  document.getElementById("publications").hidden = !opens("publications");
  document.getElementById("reviews").hidden = !opens("reviews");
  if (opens("publications")) await showPublications();
  if (opens("reviews")) await showReviews(opens("decide"));
}

/** Builds an element with text; the page never inserts HTML it did not write. */
function element(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  return node;
}

/** Each model's release in force and its priority list: only what a reviewer approved is served. */
async function showPublications() {
  const t = texts[language];
  const list = document.getElementById("publications-list");
  list.replaceChildren();
  for (const model of await (await fetch("/api/models", { credentials: "same-origin" })).json()) {
    list.append(element("h4", language === "fr" ? model.labelFr : model.labelEn));
    if (!model.inForce) { list.append(element("p", t.noRelease)); continue; }
    const response = await fetch(`/api/models/${encodeURIComponent(model.code)}/priorities`, { credentials: "same-origin" });
    if (!response.ok) { list.append(element("p", t.noRelease)); continue; }
    const priorities = await response.json();
    const table = element("table", undefined, { id: `priorities-${model.code}` });
    table.append(element("caption", t.provenance(priorities.release, priorities.period)));
    const head = element("tr");
    for (const column of t.columns) head.append(element("th", column, { scope: "col" }));
    table.append(head);
    for (const territory of priorities.territories.slice(0, 20)) {
      const row = element("tr");
      row.append(element("td", String(territory.rank), { class: "number" }), element("td", territory.name), element("td", territory.code),
        element("td", territory.predictedSir.toFixed(2), { class: "number" }), element("td", `${territory.intervalLow} – ${territory.intervalHigh}`, { class: "number" }));
      table.append(row);
    }
    list.append(table);
  }
}

/** Releases pending review with their evidence; reviewers decide here, auditors read. */
async function showReviews(canDecide) {
  const t = texts[language];
  const list = document.getElementById("reviews-list");
  list.replaceChildren();
  const releases = await (await fetch("/api/reviews?state=pending_review", { credentials: "same-origin" })).json();
  if (releases.length === 0) list.append(element("p", t.noPending));
  for (const release of releases) {
    const article = element("article", undefined, { id: `release-${release.id}`, "aria-labelledby": `release-${release.id}-title` });
    article.append(element("h4", t.releaseHeading(release), { id: `release-${release.id}-title` }), element("p", t.releaseFacts(release)));
    const link = element("a", t.fairnessLink, { href: `/api/reviews/${release.id}/fairness.html`, target: "_blank", rel: "noopener" });
    article.append(element("p").appendChild(link).parentNode);
    if (canDecide) {
      const form = element("form", undefined, { novalidate: "" });
      const justification = element("textarea", undefined, { id: `justification-${release.id}`, name: "justification" });
      const acknowledgement = element("textarea", undefined, { id: `acknowledgement-${release.id}`, name: "acknowledgement" });
      const outcome = element("p", "", { class: "error", role: "alert", id: `outcome-${release.id}` });
      form.append(element("label", t.justification, { for: justification.id }), justification,
        element("label", t.acknowledgement, { for: acknowledgement.id }), acknowledgement);
      for (const [action, label] of [["approve", t.approve], ["reject", t.reject]]) {
        const button = element("button", label, { type: "button", id: `${action}-${release.id}` });
        button.addEventListener("click", async () => {
          const response = await post(`/api/reviews/${release.id}/${action}`, { justification: justification.value, acknowledgement: acknowledgement.value || null });
          if (response.ok) { outcome.className = "ok"; outcome.textContent = t.decided; return; }
          const problem = await response.json();
          outcome.className = "error";
          outcome.textContent = (problem.refusals ?? []).map(r => language === "fr" ? r.fr : r.en).join(" ") || problem.title;
        });
        form.append(button);
      }
      form.append(outcome);
      article.append(form);
    }
    list.append(article);
  }
}

function post(url, body) {
  const headers = { "Content-Type": "application/json" };
  if (antiforgery) headers[antiforgery.headerName] = antiforgery.token;
  return fetch(url, { method: "POST", credentials: "same-origin", headers, body: JSON.stringify(body ?? {}) });
}

/** Goes to the step the server names after a password or a code: code, enrolment or signed-in. */
async function next(response) {
  const { step } = await response.json();
  if (step === "code") { show("second-factor"); return; }
  if (step === "enrolment") { await beginEnrolment(); return; }
  await showSession();
}

async function beginEnrolment() {
  const response = await post("/api/auth/enrolment");
  if (!response.ok) { document.getElementById("sign-in-error").textContent = texts[language].expired; show("sign-in"); return; }
  const enrolment = await response.json();
  document.getElementById("enrol-key").textContent = enrolment.secret.match(/.{1,4}/g).join(" ");
  document.getElementById("enrol-uri").href = enrolment.provisioningUri;
  show("enrolment");
}

function errorText(status, wrongKey) {
  if (status === 429) return texts[language].tooMany;
  if (status === 403) return texts[language].expired;
  return texts[language][wrongKey];
}

document.getElementById("language").addEventListener("click", () => {
  language = language === "fr" ? "en" : "fr";
  localStorage.setItem("language", language);
  applyLanguage();
});

document.getElementById("sign-in-form").addEventListener("submit", async event => {
  event.preventDefault();
  const form = event.target;
  const error = document.getElementById("sign-in-error");
  if (!form.userName.value || !form.password.value) { error.textContent = texts[language].missing; return; }
  const response = await post("/api/auth/sign-in", { userName: form.userName.value, password: form.password.value });
  form.password.value = "";
  error.textContent = response.ok ? "" : errorText(response.status, "failed");
  if (response.ok) await next(response);
});

for (const [formId, url, errorId] of [["code-form", "/api/auth/second-factor", "code-error"], ["enrol-form", "/api/auth/enrolment/confirm", "enrol-error"]]) {
  document.getElementById(formId).addEventListener("submit", async event => {
    event.preventDefault();
    const input = event.target.code;
    const error = document.getElementById(errorId);
    if (!input.value.trim()) { error.textContent = texts[language].missingCode; return; }
    const response = await post(url, { code: input.value });
    input.value = "";
    if (response.ok) { error.textContent = ""; await next(response); return; }
    if (response.status === 401 && !(await response.json()).title?.startsWith("Code")) {
      // The half-open sign-in expired (5 minutes): back to the password.
      document.getElementById("sign-in-error").textContent = texts[language].expired;
      show("sign-in");
      return;
    }
    error.textContent = errorText(response.status, "wrongCode");
  });
}

document.getElementById("sign-out").addEventListener("click", async () => {
  await post("/api/auth/sign-out");
  await showSession();
});

applyLanguage();
showSession();
