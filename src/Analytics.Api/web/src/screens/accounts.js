// Accounts, for administrators (#/comptes): who can sign in with which roles, whether a second factor is enrolled;
// create an account, change its roles, disable it (its sessions end and its tokens are revoked at once) or enable it
// again, reset a lost second factor. Every change is recorded in the audit log by the server.
import { $, element, table } from "../dom.js";
import { language, words } from "../i18n.js";
import { getJson, post, problemText, send } from "../http.js";
import { app } from "../server.js";

const texts = {
  fr: {
    title: "Comptes", caption: "Comptes et rôles", columns: ["Identifiant", "Nom", "Rôles", "État", "Second facteur", "Actions"],
    active: "actif", disabled: "désactivé", enrolled: "enrôlé", notEnrolled: "non enrôlé",
    saveRoles: (u) => `Enregistrer les rôles de ${u}`, disable: (u) => `Désactiver ${u}`, enable: (u) => `Réactiver ${u}`,
    reset: (u) => `Réinitialiser le second facteur de ${u}`, rolesOf: (u) => `Rôles de ${u}`,
    createTitle: "Créer un compte", userName: "Identifiant", displayName: "Nom affiché", password: "Mot de passe initial (au moins 12 caractères)",
    roles: "Rôles", create: "Créer le compte", done: "Modification enregistrée.",
  },
  en: {
    title: "Accounts", caption: "Accounts and roles", columns: ["User name", "Name", "Roles", "State", "Second factor", "Actions"],
    active: "active", disabled: "disabled", enrolled: "enrolled", notEnrolled: "not enrolled",
    saveRoles: (u) => `Save the roles of ${u}`, disable: (u) => `Disable ${u}`, enable: (u) => `Enable ${u}`,
    reset: (u) => `Reset the second factor of ${u}`, rolesOf: (u) => `Roles of ${u}`,
    createTitle: "Create an account", userName: "User name", displayName: "Display name", password: "Initial password (at least 12 characters)",
    roles: "Roles", create: "Create the account", done: "Change recorded.",
  },
};
const t = () => words(texts);

let outcome = null; // { ok, text } of the last change, shown after the list is read again

export async function open() {
  outcome = null;
  await render();
}

/** Role checkboxes in a fieldset; the ids carry a prefix so several lists live on one page. */
function roleBoxes(prefix, legend, chosen) {
  const fieldset = element("fieldset", undefined, { class: "roles" });
  fieldset.append(element("legend", legend));
  for (const role of app.roles) {
    const id = `${prefix}-${role.id}`;
    const box = element("input", undefined, { type: "checkbox", id, value: role.id });
    box.checked = chosen.includes(role.id);
    fieldset.append(box, element("label", role[language()], { for: id }));
  }
  return fieldset;
}

const checked = (fieldset) => [...fieldset.querySelectorAll("input:checked")].map(box => box.value);

async function change(response) {
  outcome = { ok: response.ok, text: response.ok ? t().done : await problemText(response, language()) };
  await render();
}

export async function render() {
  const accounts = (await getJson("/api/admin/accounts")) ?? [];
  const heading = element("h2", t().title, { id: "accounts-title", tabindex: "-1" });
  const status = element("p", outcome?.text ?? "", { role: "status", id: "accounts-outcome", class: outcome?.ok === false ? "error" : "ok" });
  const rows = accounts.map(a => {
    const path = `/api/admin/accounts/${encodeURIComponent(a.userName)}`;
    const roles = roleBoxes(`roles-${a.userName}`, t().rolesOf(a.userName), a.roles);
    const save = element("button", t().saveRoles(a.userName), { type: "button" });
    save.addEventListener("click", async () => change(await send("PUT", `${path}/roles`, { roles: checked(roles) })));
    roles.append(save);
    const actions = element("div", undefined, { class: "controls" });
    const toggle = element("button", a.isDisabled ? t().enable(a.userName) : t().disable(a.userName), { type: "button", id: `toggle-${a.userName}` });
    toggle.addEventListener("click", async () => change(await post(`${path}/${a.isDisabled ? "enable" : "disable"}`)));
    actions.append(toggle);
    if (a.hasTotp) {
      const reset = element("button", t().reset(a.userName), { type: "button" });
      reset.addEventListener("click", async () => change(await post(`${path}/second-factor/reset`)));
      actions.append(reset);
    }
    return [{ text: a.userName, header: true }, a.displayName, roles, a.isDisabled ? t().disabled : t().active, a.hasTotp ? t().enrolled : t().notEnrolled, actions];
  });
  $("accounts").replaceChildren(heading, status, table(t().caption, t().columns, rows, { id: "accounts-table" }), createForm());
  heading.focus();
}

function createForm() {
  const form = element("form", undefined, { id: "account-create", novalidate: "", "aria-labelledby": "account-create-title" });
  form.append(element("h3", t().createTitle, { id: "account-create-title" }));
  const inputs = {};
  for (const [name, type, autocomplete] of [["userName", "text", "off"], ["displayName", "text", "off"], ["password", "password", "new-password"]]) {
    inputs[name] = element("input", undefined, { id: `new-${name}`, name, type, autocomplete });
    form.append(element("label", t()[name], { for: inputs[name].id }), inputs[name]);
  }
  const roles = roleBoxes("new-role", t().roles, []);
  form.append(roles, element("button", t().create, { type: "submit" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await change(await post("/api/admin/accounts", { userName: inputs.userName.value, displayName: inputs.displayName.value, password: inputs.password.value, roles: checked(roles) }));
  });
  return form;
}
