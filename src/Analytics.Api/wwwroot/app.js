// The web app's shell: sign-in (password, then second factor), session, language. Talks only to this server.
"use strict";

const texts = {
  fr: {
    skip: "Aller au contenu", title: "Une seule santé — analyses territoriales", signInTitle: "Connexion",
    userName: "Identifiant", password: "Mot de passe", signIn: "Se connecter", sessionTitle: "Votre session",
    signedInAs: "Connecté·e en tant que", roles: "rôles", apiLink: "Référence de l'API (OpenAPI)",
    jobsLink: "Tableau de bord des traitements", signOut: "Se déconnecter", other: "English", otherLabel: "Switch to English",
    failed: "Identifiant ou mot de passe incorrect, ou compte bloqué un moment après trop d'échecs.",
    missing: "Saisissez votre identifiant et votre mot de passe.",
    tooMany: "Trop de tentatives de connexion : réessayez dans une minute.",
    codeTitle: "Code de vérification", codeLabel: "Code à 6 chiffres de votre application d'authentification",
    verify: "Vérifier", wrongCode: "Code incorrect, expiré ou déjà utilisé. Attendez le code suivant si besoin.",
    missingCode: "Saisissez le code à 6 chiffres.", expired: "La connexion a expiré : saisissez à nouveau votre mot de passe.",
    enrolTitle: "Activer la double authentification",
    enrolIntro: "Votre rôle demande un second facteur. Ajoutez cette clé dans une application d'authentification (TOTP), puis saisissez le code qu'elle affiche. La clé n'est montrée qu'une fois.",
    enrolKey: "Clé", enrolLink: "Ouvrir dans l'application d'authentification (sur ce téléphone)", activate: "Activer",
  },
  en: {
    skip: "Skip to content", title: "One Health — territorial analytics", signInTitle: "Sign in",
    userName: "User name", password: "Password", signIn: "Sign in", sessionTitle: "Your session",
    signedInAs: "Signed in as", roles: "roles", apiLink: "API reference (OpenAPI)",
    jobsLink: "Jobs dashboard", signOut: "Sign out", other: "Français", otherLabel: "Passer en français",
    failed: "Wrong user name or password, or account locked for a while after too many failures.",
    missing: "Enter your user name and password.",
    tooMany: "Too many sign-in attempts: try again in a minute.",
    codeTitle: "Verification code", codeLabel: "6-digit code from your authenticator app",
    verify: "Verify", wrongCode: "Wrong, expired or already used code. Wait for the next code if needed.",
    missingCode: "Enter the 6-digit code.", expired: "Signing in expired: enter your password again.",
    enrolTitle: "Turn on two-step sign-in",
    enrolIntro: "Your role needs a second factor. Add this key to an authenticator app (TOTP), then enter the code it shows. The key is shown only once.",
    enrolKey: "Key", enrolLink: "Open in the authenticator app (on this phone)", activate: "Turn on",
  },
};
let language = localStorage.getItem("language") || "fr";
let antiforgery = null; // { headerName, token } of the open session

function applyLanguage() {
  const t = texts[language];
  document.documentElement.lang = language;
  document.title = t.title;
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t[element.dataset.i18n];
  const toggle = document.getElementById("language");
  toggle.textContent = t.other;
  toggle.setAttribute("aria-label", t.otherLabel);
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
  document.getElementById("jobs-link").hidden = !me.roles.some(r => r === "admin" || r === "steward");
  // Every POST, PUT, PATCH and DELETE of the session carries this token.
  antiforgery = await (await fetch("/api/auth/antiforgery", { credentials: "same-origin" })).json();
  show("session");
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
