// The session's shell: who is signed in, the screens open to the caller's roles (the server's answer from its route
// table: the page repeats no role), a navigation between them by address (#/carte, #/territoire/commune/01001…), and
// the accountable team's contact under every screen that shows a published figure or a model output.
import { $, element } from "./dom.js";
import { language, onLanguageChange, setLanguage, words } from "./i18n.js";
import { forgetAntiforgery, getJson, loadAntiforgery, post } from "./http.js";
import { showStep } from "./signin.js";
import { app, opens, term } from "./server.js";
import * as mapScreen from "./screens/map.js";
import * as territoryScreen from "./screens/territory.js";
import * as prioritiesScreen from "./screens/priorities.js";
import * as reviewsScreen from "./screens/reviews.js";
import * as dataScreen from "./screens/data.js";
import * as historyScreen from "./screens/history.js";
import * as auditScreen from "./screens/audit.js";
import * as accountsScreen from "./screens/accounts.js";
import * as tokensScreen from "./screens/tokens.js";
import * as planningScreen from "./screens/planning.js";

const texts = {
  fr: {
    skip: "Aller au contenu", title: "Une seule santé — analyses territoriales", signInTitle: "Connexion",
    userName: "Identifiant", password: "Mot de passe", signIn: "Se connecter",
    signedInAs: "Connecté·e en tant que", roles: "rôles", apiLink: "Référence de l'API (OpenAPI)", ogcLink: "Service OGC API – Features (QGIS)",
    jobsLink: "Tableau de bord des traitements (Hangfire)", signOut: "Se déconnecter", navigation: "Écrans",
    other: "English", otherLabel: "Switch to English",
    codeTitle: "Code de vérification", codeLabel: "Code à 6 chiffres de votre application d'authentification", verify: "Vérifier",
    enrolTitle: "Activer la double authentification",
    enrolIntro: "Votre rôle demande un second facteur. Ajoutez cette clé dans une application d'authentification (TOTP), puis saisissez le code qu'elle affiche. La clé n'est montrée qu'une fois.",
    enrolKey: "Clé", enrolLink: "Ouvrir dans l'application d'authentification (sur ce téléphone)", activate: "Activer",
    contact: (c) => `Questions sur ces chiffres : ${c.name}, ${c.team} — ${c.email}`,
    noContact: "Aucune équipe responsable n'est configurée (Contact:Team, Contact:Name, Contact:Email).",
    publicationsTitle: "Listes prioritaires publiées", dataTitle: "Données et traitements",
  },
  en: {
    skip: "Skip to content", title: "One Health — territorial analytics", signInTitle: "Sign in",
    userName: "User name", password: "Password", signIn: "Sign in",
    signedInAs: "Signed in as", roles: "roles", apiLink: "API reference (OpenAPI)", ogcLink: "OGC API – Features service (QGIS)",
    jobsLink: "Jobs dashboard (Hangfire)", signOut: "Sign out", navigation: "Screens",
    other: "Français", otherLabel: "Passer en français",
    codeTitle: "Verification code", codeLabel: "6-digit code from your authenticator app", verify: "Verify",
    enrolTitle: "Turn on two-step sign-in",
    enrolIntro: "Your role needs a second factor. Add this key to an authenticator app (TOTP), then enter the code it shows. The key is shown only once.",
    enrolKey: "Key", enrolLink: "Open in the authenticator app (on this phone)", activate: "Turn on",
    contact: (c) => `Questions about these figures: ${c.name}, ${c.team} — ${c.email}`,
    noContact: "No accountable team is configured (Contact:Team, Contact:Name, Contact:Email).",
    publicationsTitle: "Published priority lists", dataTitle: "Data and jobs",
  },
};
const t = () => words(texts);

/** The screens, in the navigation's order; a screen shows when the server opens its "screen" to the caller. */
const screens = [
  { module: mapScreen, screen: "map", route: "carte", section: "map-explorer", nav: { fr: "Carte", en: "Map" }, figures: true },
  { module: territoryScreen, screen: "map", route: "territoire", section: "territory-page", figures: true },
  { module: prioritiesScreen, screen: "publications", route: "priorites", section: "publications", nav: { fr: "Listes prioritaires", en: "Priority lists" }, figures: true },
  { module: planningScreen, screen: "planning", route: "planification", section: "planning", nav: { fr: "Planification", en: "Planning" }, figures: true },
  { module: reviewsScreen, screen: "reviews", route: "relecture", section: "reviews", nav: { fr: "Relecture", en: "Review" } },
  { module: historyScreen, screen: "reviews", route: "historique", section: "history", nav: { fr: "Historique des publications", en: "Release history" } },
  { module: auditScreen, screen: "audit", route: "audit", section: "audit", nav: { fr: "Journal d'audit", en: "Audit log" } },
  { module: dataScreen, screen: "data", route: "donnees", section: "data", nav: { fr: "Données et traitements", en: "Data and jobs" } },
  { module: accountsScreen, screen: "accounts", route: "comptes", section: "accounts", nav: { fr: "Comptes", en: "Accounts" } },
  { module: tokensScreen, screen: "tokens", route: "jetons", section: "tokens", nav: { fr: "Mes jetons d'API", en: "My API tokens" } },
];

let current = null; // { entry, params } on display

function applyStaticWords() {
  document.documentElement.lang = language();
  document.title = t().title;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t()[node.dataset.i18n];
  const toggle = $("language");
  toggle.textContent = t().other;
  toggle.setAttribute("aria-label", t().otherLabel);
  $("navigation").setAttribute("aria-label", t().navigation);
}

/** The caller's roles in the page's language (the server's words for them). */
function showRoles() {
  const roles = $("roles");
  roles.textContent = (roles.dataset.roles ?? "").split(" ").filter(Boolean).map(r => term(app.roles, r)).join(", ");
}

function showNavigation() {
  const list = $("navigation-list");
  list.replaceChildren(...screens.filter(s => s.nav && opens(s.screen)).map(s => {
    const link = element("a", s.nav[language()], { href: `#/${s.route}` });
    if (current?.entry === s) link.setAttribute("aria-current", "page");
    return element("li").appendChild(link).parentNode;
  }));
  $("jobs-link").hidden = !opens("dashboard");
}

function showContact(entry) {
  const footer = $("contact");
  footer.hidden = !entry.figures;
  footer.textContent = app.contact ? t().contact(app.contact) : t().noContact;
}

/** Opens the screen the address names (#/route/params…), or the first screen open to the caller. */
async function route() {
  const [name, ...params] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const entry = screens.find(s => s.route === name && opens(s.screen)) ?? screens.find(s => s.nav && opens(s.screen));
  if (!entry) return;
  current = { entry, params };
  for (const s of screens) $(s.section).hidden = s !== entry;
  showNavigation();
  showContact(entry);
  await entry.module.open(params);
}

export async function showSession() {
  const me = await getJson("/api/me");
  if (!me) { forgetAntiforgery(); showStep("sign-in"); return; }
  Object.assign(app, await getJson("/api/app"));
  $("who").textContent = me.displayName;
  $("roles").dataset.roles = me.roles.join(" ");
  showRoles();
  // Every POST, PUT, PATCH and DELETE of the session carries this token.
  await loadAntiforgery();
  showStep("session");
  await route();
}

export function wireShell() {
  applyStaticWords();
  $("language").addEventListener("click", () => setLanguage(language() === "fr" ? "en" : "fr"));
  onLanguageChange(() => {
    applyStaticWords();
    if (!current || $("session").hidden) return;
    showRoles();
    showNavigation();
    showContact(current.entry);
    current.entry.module.render();
  });
  window.addEventListener("hashchange", () => { if (!$("session").hidden) route(); });
  $("sign-out").addEventListener("click", async () => {
    await post("/api/auth/sign-out");
    await showSession();
  });
}
