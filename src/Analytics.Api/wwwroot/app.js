// The web app's shell: sign-in, session, language. Talks only to this server.
"use strict";

const texts = {
  fr: {
    skip: "Aller au contenu", title: "Une seule santé — analyses territoriales", signInTitle: "Connexion",
    userName: "Identifiant", password: "Mot de passe", signIn: "Se connecter", sessionTitle: "Votre session",
    signedInAs: "Connecté·e en tant que", roles: "rôles", apiLink: "Référence de l'API (OpenAPI)",
    jobsLink: "Tableau de bord des traitements", signOut: "Se déconnecter", other: "English", otherLabel: "Switch to English",
    failed: "Identifiant ou mot de passe incorrect.", missing: "Saisissez votre identifiant et votre mot de passe.",
  },
  en: {
    skip: "Skip to content", title: "One Health — territorial analytics", signInTitle: "Sign in",
    userName: "User name", password: "Password", signIn: "Sign in", sessionTitle: "Your session",
    signedInAs: "Signed in as", roles: "roles", apiLink: "API reference (OpenAPI)",
    jobsLink: "Jobs dashboard", signOut: "Sign out", other: "Français", otherLabel: "Passer en français",
    failed: "Wrong user name or password.", missing: "Enter your user name and password.",
  },
};
let language = localStorage.getItem("language") || "fr";

function applyLanguage() {
  const t = texts[language];
  document.documentElement.lang = language;
  document.title = t.title;
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t[element.dataset.i18n];
  const toggle = document.getElementById("language");
  toggle.textContent = t.other;
  toggle.setAttribute("aria-label", t.otherLabel);
}

async function showSession() {
  const response = await fetch("/api/me", { credentials: "same-origin" });
  const signedIn = response.ok;
  document.getElementById("sign-in").hidden = signedIn;
  document.getElementById("session").hidden = !signedIn;
  if (!signedIn) return;
  const me = await response.json();
  document.getElementById("who").textContent = me.displayName;
  document.getElementById("roles").textContent = me.roles.join(", ");
  document.getElementById("jobs-link").hidden = !me.roles.some(r => r === "admin" || r === "steward");
  document.getElementById("session-title").focus?.();
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
  const response = await fetch("/api/auth/sign-in", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userName: form.userName.value, password: form.password.value }),
  });
  form.password.value = "";
  error.textContent = response.ok ? "" : texts[language].failed;
  if (response.ok) await showSession();
});

document.getElementById("sign-out").addEventListener("click", async () => {
  await fetch("/api/auth/sign-out", { method: "POST", credentials: "same-origin" });
  await showSession();
});

applyLanguage();
showSession();
