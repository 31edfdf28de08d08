// What the server says about the caller's session (GET /api/app): the screens open to its roles, the product's terms
// in French and English (statistics, publication states, fairness verdicts), the models, the kinds of files and the
// accountable team. One home for those words: the page repeats none of them.
import { label, language } from "./i18n.js";
import { getJson } from "./http.js";

export const app = { screens: [], verdicts: [], statistics: [], states: [], releaseStates: [], roles: [], models: [], ingestKinds: [], auditKinds: [], championRules: [], coefficientSources: [], fairness: null, contact: null };

export const opens = (screen) => app.screens.includes(screen);

let indicators = null;

/** The indicator catalogue (GET /api/indicators), read once per page: screens share it. */
export function catalogue() {
  indicators ??= getJson("/api/indicators").then(list => list ?? []);
  return indicators;
}

/** A term's words in the page's language (an { id, fr, en } the server named), or the id itself when unknown. */
export function term(list, id) {
  const found = list.find(x => x.id === id);
  return found ? found[language()] : id;
}

/** A model's name in the page's language, or its code when the server names no such model. */
export function modelName(code) {
  return label(app.models.find(m => m.code === code)) || code;
}
