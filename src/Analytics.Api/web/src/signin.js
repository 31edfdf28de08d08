// Signing in: a password, then the second factor when the role asks for one (or its enrolment), then the session.
import { $ } from "./dom.js";
import { words } from "./i18n.js";
import { post } from "./http.js";

const texts = {
  fr: {
    failed: "Identifiant ou mot de passe incorrect, ou compte bloqué un moment après trop d'échecs.",
    missing: "Saisissez votre identifiant et votre mot de passe.",
    tooMany: "Trop de tentatives de connexion : réessayez dans une minute.",
    wrongCode: "Code incorrect, expiré ou déjà utilisé. Attendez le code suivant si besoin.",
    missingCode: "Saisissez le code à 6 chiffres.", expired: "La connexion a expiré : saisissez à nouveau votre mot de passe.",
  },
  en: {
    failed: "Wrong user name or password, or account locked for a while after too many failures.",
    missing: "Enter your user name and password.",
    tooMany: "Too many sign-in attempts: try again in a minute.",
    wrongCode: "Wrong, expired or already used code. Wait for the next code if needed.",
    missingCode: "Enter the 6-digit code.", expired: "Signing in expired: enter your password again.",
  },
};
const t = () => words(texts);

/** Shows one step of signing in (or the session) and puts the focus on its heading. */
export function showStep(sectionId) {
  for (const id of ["sign-in", "second-factor", "enrolment", "session"]) $(id).hidden = id !== sectionId;
  document.querySelector(`#${sectionId} h2`)?.focus?.();
}

function errorText(status, wrongKey) {
  if (status === 429) return t().tooMany;
  if (status === 403) return t().expired;
  return t()[wrongKey];
}

/** Wires the sign-in forms; onSignedIn opens the session once the server says the caller is in. */
export function wireSignIn(onSignedIn) {
  async function next(response) {
    const { step } = await response.json();
    if (step === "code") { showStep("second-factor"); return; }
    if (step === "enrolment") { await beginEnrolment(); return; }
    await onSignedIn();
  }

  async function beginEnrolment() {
    const response = await post("/api/auth/enrolment");
    if (!response.ok) { $("sign-in-error").textContent = t().expired; showStep("sign-in"); return; }
    const enrolment = await response.json();
    $("enrol-key").textContent = enrolment.secret.match(/.{1,4}/g).join(" ");
    $("enrol-uri").href = enrolment.provisioningUri;
    showStep("enrolment");
  }

  $("sign-in-form").addEventListener("submit", async event => {
    event.preventDefault();
    const form = event.target;
    const error = $("sign-in-error");
    if (!form.userName.value || !form.password.value) { error.textContent = t().missing; return; }
    const response = await post("/api/auth/sign-in", { userName: form.userName.value, password: form.password.value });
    form.password.value = "";
    error.textContent = response.ok ? "" : errorText(response.status, "failed");
    if (response.ok) await next(response);
  });

  for (const [formId, url, errorId] of [["code-form", "/api/auth/second-factor", "code-error"], ["enrol-form", "/api/auth/enrolment/confirm", "enrol-error"]]) {
    $(formId).addEventListener("submit", async event => {
      event.preventDefault();
      const input = event.target.code;
      const error = $(errorId);
      if (!input.value.trim()) { error.textContent = t().missingCode; return; }
      const response = await post(url, { code: input.value });
      input.value = "";
      if (response.ok) { error.textContent = ""; await next(response); return; }
      if (response.status === 401 && !(await response.json()).title?.startsWith("Code")) {
        // The half-open sign-in expired (5 minutes): back to the password.
        $("sign-in-error").textContent = t().expired;
        showStep("sign-in");
        return;
      }
      error.textContent = errorText(response.status, "wrongCode");
    });
  }
}
