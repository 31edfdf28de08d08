// The page's language: French first, English available, remembered in the browser. Each screen keeps its own words
// beside its code and asks for them through words(); a change re-renders every screen on display.
let current = localStorage.getItem("language") === "en" ? "en" : "fr";
const listeners = [];

export const language = () => current;

/** The words of the page's language from a { fr, en } dictionary. */
export const words = (dictionary) => dictionary[current];

export function setLanguage(next) {
  current = next;
  localStorage.setItem("language", next);
  document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

/** Called on every change of language (after the change). */
export function onLanguageChange(listener) {
  listeners.push(listener);
}

/** A number as the page's language writes it ("—" when there is none). */
export function formatNumber(value, digits = 2) {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(current === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: digits }).format(value);
}

export function formatDate(iso) {
  return new Date(iso).toLocaleDateString(current === "fr" ? "fr-FR" : "en-GB", { year: "numeric", month: "long", day: "numeric" });
}

/** A label with French and English variants ({ labelFr, labelEn } or { fr, en }) in the page's language. */
export function label(item) {
  if (!item) return "";
  return current === "fr" ? (item.labelFr ?? item.fr) : (item.labelEn ?? item.en);
}
