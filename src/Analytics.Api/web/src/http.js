// Talking to this server only: same-origin requests with the session cookie, and the antiforgery token on every
// request that changes something.
let antiforgery = null; // { headerName, token } of the open session

export async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  return response.ok ? response.json() : null;
}

export const get = (url) => fetch(url, { credentials: "same-origin" });

export async function loadAntiforgery() {
  antiforgery = await getJson("/api/auth/antiforgery");
}

export function forgetAntiforgery() {
  antiforgery = null;
}

function changeHeaders(extra) {
  const headers = { ...extra };
  if (antiforgery) headers[antiforgery.headerName] = antiforgery.token;
  return headers;
}

/** A change with a JSON body: POST, PUT or DELETE. */
export function send(method, url, body) {
  return fetch(url, { method, credentials: "same-origin", headers: changeHeaders({ "Content-Type": "application/json" }), body: JSON.stringify(body ?? {}) });
}

export const post = (url, body) => send("POST", url, body);

/** A multipart upload (the browser writes the boundary). */
export function postForm(url, formData) {
  return fetch(url, { method: "POST", credentials: "same-origin", headers: changeHeaders(), body: formData });
}

/** The words of a refusal: the server's French or English refusals when it names them, else its title. */
export async function problemText(response, language) {
  try {
    const problem = await response.json();
    const refusals = (problem.refusals ?? []).map(r => (language === "fr" ? r.fr : r.en)).join(" ");
    return refusals || problem.detail || problem.title || String(response.status);
  } catch {
    return String(response.status);
  }
}

/** The rows of one of the API's CSV exports (UTF-8 with BOM, ';', provenance on the first line, header on the second). */
export function csvRows(text) {
  return text.replace(/^\uFEFF/, "").split("\n").filter(l => l.length > 0).slice(2).map(parseCsvLine);
}

/** One CSV line with ';' and RFC 4180 quotes; a line without quotes (nearly all) is split at once. */
function parseCsvLine(line) {
  if (!line.includes('"')) return line.replace("\r", "").split(";");
  const cells = [];
  let cell = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") { cells.push(cell); cell = ""; }
    else cell += c.replace("\r", "");
  }
  cells.push(cell);
  return cells;
}
