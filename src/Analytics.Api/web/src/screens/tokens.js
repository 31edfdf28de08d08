// My personal API tokens (#/jetons), for every role: the list (never the secrets), a new token shown once, revocation.
// Issuing one needs a session opened with the second factor; the server says so otherwise.
import { $, element, table } from "../dom.js";
import { formatDate, language, words } from "../i18n.js";
import { getJson, post, problemText, send } from "../http.js";

const texts = {
  fr: {
    title: "Mes jetons d'accès à l'API", caption: "Mes jetons", columns: ["Nom", "Préfixe", "Créé le", "Expire le", "Dernier usage", "État", "Action"],
    none: "Aucun jeton.", live: "actif", revoked: (d) => `révoqué le ${d}`, revoke: (n) => `Révoquer le jeton ${n}`,
    createTitle: "Créer un jeton", name: "Nom (à quoi il sert)", days: "Durée de validité en jours (1 à 365)", create: "Créer le jeton",
    secret: "Copiez ce jeton maintenant : il ne sera plus jamais affiché.", revokedDone: "Jeton révoqué.",
  },
  en: {
    title: "My API tokens", caption: "My tokens", columns: ["Name", "Prefix", "Created on", "Expires on", "Last used", "State", "Action"],
    none: "No token.", live: "live", revoked: (d) => `revoked on ${d}`, revoke: (n) => `Revoke token ${n}`,
    createTitle: "Create a token", name: "Name (what it is for)", days: "Lifetime in days (1 to 365)", create: "Create the token",
    secret: "Copy this token now: it will never be shown again.", revokedDone: "Token revoked.",
  },
};
const t = () => words(texts);

let shown = null; // { secret } once, or { text, ok } after a change

export async function open() {
  shown = null;
  await render();
}

export async function render() {
  const tokens = (await getJson("/api/me/tokens")) ?? [];
  const heading = element("h2", t().title, { id: "tokens-title", tabindex: "-1" });
  const status = element("div", undefined, { role: "status", id: "tokens-outcome" });
  if (shown?.secret) status.append(element("p", t().secret), element("code", shown.secret, { class: "key", id: "token-secret" }));
  else if (shown?.text) status.append(element("p", shown.text, { class: shown.ok ? "ok" : "error" }));
  const rows = tokens.map(k => {
    let action = "";
    if (!k.revokedAt) {
      action = element("button", t().revoke(k.name), { type: "button" });
      action.addEventListener("click", async () => {
        const response = await send("DELETE", `/api/me/tokens/${k.id}`);
        shown = { ok: response.ok, text: response.ok ? t().revokedDone : await problemText(response, language()) };
        await render();
      });
    }
    return [{ text: k.name, header: true }, k.prefix, formatDate(k.createdAt), formatDate(k.expiresAt), k.lastUsedAt ? formatDate(k.lastUsedAt) : "—",
      k.revokedAt ? t().revoked(formatDate(k.revokedAt)) : t().live, action];
  });
  $("tokens").replaceChildren(heading, status, tokens.length ? table(t().caption, t().columns, rows, { id: "tokens-table" }) : element("p", t().none), createForm());
  heading.focus();
}

function createForm() {
  const form = element("form", undefined, { id: "token-create", novalidate: "", "aria-labelledby": "token-create-title" });
  const name = element("input", undefined, { id: "token-name", name: "name", autocomplete: "off" });
  const days = element("input", undefined, { id: "token-days", name: "lifetimeDays", type: "number", min: "1", max: "365", value: "90" });
  form.append(element("h3", t().createTitle, { id: "token-create-title" }), element("label", t().name, { for: name.id }), name,
    element("label", t().days, { for: days.id }), days, element("button", t().create, { type: "submit" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await post("/api/me/tokens", { name: name.value, lifetimeDays: Number(days.value) });
    shown = response.ok ? { secret: (await response.json()).secret } : { ok: false, text: await problemText(response, language()) };
    await render();
  });
  return form;
}
