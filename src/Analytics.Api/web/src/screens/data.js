// The steward's and the administrator's data screen: upload a file and follow its load (a progress bar, then the
// outcome: a refusal names the file, the line and the field), the batches loaded or refused with their quarantined
// rows, training runs launched for review, and the pipeline's runs (ingest → features → training), stage by stage.
import { $, element, fillSelect, table } from "../dom.js";
import { formatDate, formatNumber, label, language, words } from "../i18n.js";
import { getJson, post, postForm, problemText } from "../http.js";
import { app, term } from "../server.js";

const texts = {
  fr: {
    uploadTitle: "Déposer un fichier", kind: "Nature du fichier", file: "Fichier", source: "Source", licence: "Licence",
    period: "Période (si le fichier n'en porte pas)", upload: "Déposer et charger",
    states: { queued: "en attente", running: "en cours", loaded: "chargé", failed: "refusé — rien n'a été écrit", unchanged: "déjà chargé (fichier identique)" },
    progress: "Avancement du chargement", rows: (n) => `${formatNumber(n, 0)} lignes lues`,
    noFile: "Choisissez un fichier.",
    batchesTitle: "Lots chargés et refusés", batchColumns: ["Lot", "Nature", "Fichier", "Statut", "Lignes chargées", "En quarantaine", "Par", "Fin", ""],
    quarantine: (id) => `Lignes en quarantaine du lot ${id}`, showQuarantine: "Voir la quarantaine",
    quarantineColumns: ["Ligne", "Champ", "Motif"], noQuarantine: "Aucune ligne en quarantaine.",
    trainingTitle: "Entraîner un modèle (le résultat attend la relecture)", train: (m) => `Entraîner « ${m} »`,
    trainingProgress: "Avancement de l'entraînement",
    steps: { cross_validation: "validation croisée spatiale", final_fit: "ajustement final", fairness_audit: "audit d'équité",
      mitigation: "audit après repondération", storing: "enregistrement" },
    launch: (job, state) => `Tâche ${job} : ${{ Enqueued: "en file d'attente", Processing: "préparation de la matrice", Succeeded: "terminée", Failed: "échouée" }[state] ?? state}.`,
    running: (run, step, done, count) => `Entraînement ${run} : ${step} (étape ${done + 1} sur ${count}).`,
    succeeded: (run, release) => release ? `Entraînement ${run} terminé : la publication ${release} attend la relecture.`
      : `Entraînement ${run} terminé, mais ses contrôles techniques ont échoué : rien n'est soumis à la relecture.`,
    failed: (error) => `Échec de l'entraînement : ${error ?? "cause inconnue"}.`,
    pipelineTitle: "Chaîne de traitements (dépôt, indicateurs, entraînement)",
    pipelineLaunch: "Lancer la chaîne maintenant",
    pipelineIntro: "Chaque étape est sautée quand ses entrées n'ont pas changé ; une étape en échec arrête la chaîne sans toucher à ce qui est publié.",
    pipelineCaption: "Dernières exécutions de la chaîne", noRuns: "Aucune exécution de la chaîne pour l'instant.",
    pipelineColumns: ["Exécution", "Demandée par", "Début", "Statut", "Étapes"],
    triggers: { schedule: "planification", command_line: "ligne de commande", api: "application" },
    runStates: { queued: "en attente", running: "en cours", succeeded: "réussie", failed: "échouée" },
    stageStates: { running: "en cours", succeeded: "réussie", skipped: "sautée (entrées inchangées)", failed: "échouée" },
    stageNames: { ingest: "dépôt", features: "indicateurs", training: "entraînement" },
    stage: (name, state, detail, seconds) => `${name} : ${state}${seconds === null ? "" : ` en ${seconds} s`}${detail ? ` — ${detail}` : ""}`,
    launched: (id) => `Exécution ${id} lancée.`,
  },
  en: {
    uploadTitle: "Upload a file", kind: "Kind of file", file: "File", source: "Source", licence: "Licence",
    period: "Period (when the file carries none)", upload: "Upload and load",
    states: { queued: "queued", running: "running", loaded: "loaded", failed: "refused — nothing was written", unchanged: "already loaded (same file)" },
    progress: "Load progress", rows: (n) => `${formatNumber(n, 0)} rows read`,
    noFile: "Choose a file.",
    batchesTitle: "Batches loaded and refused", batchColumns: ["Batch", "Kind", "File", "Status", "Rows loaded", "Quarantined", "By", "Finished", ""],
    quarantine: (id) => `Quarantined rows of batch ${id}`, showQuarantine: "Show the quarantine",
    quarantineColumns: ["Line", "Field", "Reason"], noQuarantine: "No row in quarantine.",
    trainingTitle: "Train a model (the result awaits review)", train: (m) => `Train “${m}”`,
    trainingProgress: "Training progress",
    steps: { cross_validation: "spatial cross-validation", final_fit: "final fit", fairness_audit: "fairness audit",
      mitigation: "audit after reweighting", storing: "storing" },
    launch: (job, state) => `Job ${job}: ${{ Enqueued: "queued", Processing: "building the matrix", Succeeded: "done", Failed: "failed" }[state] ?? state}.`,
    running: (run, step, done, count) => `Training run ${run}: ${step} (step ${done + 1} of ${count}).`,
    succeeded: (run, release) => release ? `Training run ${run} done: release ${release} awaits review.`
      : `Training run ${run} done, but its technical checks failed: nothing is submitted for review.`,
    failed: (error) => `Training failed: ${error ?? "unknown cause"}.`,
    pipelineTitle: "Pipeline (drop folder, features, training)",
    pipelineLaunch: "Run the pipeline now",
    pipelineIntro: "A stage whose inputs did not change is skipped; a failed stage stops the run and leaves what is published untouched.",
    pipelineCaption: "Latest pipeline runs", noRuns: "No pipeline run yet.",
    pipelineColumns: ["Run", "Requested by", "Started", "Status", "Stages"],
    triggers: { schedule: "schedule", command_line: "command line", api: "web app" },
    runStates: { queued: "queued", running: "running", succeeded: "succeeded", failed: "failed" },
    stageStates: { running: "running", succeeded: "succeeded", skipped: "skipped (inputs unchanged)", failed: "failed" },
    stageNames: { ingest: "ingest", features: "features", training: "training" },
    stage: (name, state, detail, seconds) => `${name}: ${state}${seconds === null ? "" : ` in ${seconds} s`}${detail ? ` — ${detail}` : ""}`,
    launched: (id) => `Run ${id} launched.`,
  },
};
const t = () => words(texts);
let wired = false;

export async function open() {
  if (!wired) wire();
  await render();
}

function wire() {
  wired = true;
  $("upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const outcome = $("upload-outcome");
    if (form.file.files.length === 0) { outcome.className = "error"; outcome.textContent = t().noFile; return; }
    const query = new URLSearchParams();
    for (const name of ["source", "licence", "period"]) if (form[name].value.trim()) query.set(name, form[name].value.trim());
    const body = new FormData();
    body.append("file", form.file.files[0]);
    outcome.className = "";
    outcome.textContent = "";
    const response = await postForm(`/api/ingest/${encodeURIComponent(form.kind.value)}?${query}`, body);
    if (!response.ok) { outcome.className = "error"; outcome.textContent = await problemText(response, language()); return; }
    await follow((await response.json()).progress);
  });
}

/** Reads a progress route every `interval` ms, showing each answer, until `show` says the work ended; the last answer, or null when the route fails. */
async function poll(url, interval, show) {
  for (;;) {
    const progress = await getJson(url);
    if (!progress) return null;
    if (show(progress)) return progress;
    await new Promise(resolve => setTimeout(resolve, interval));
  }
}

/** Follows a load until it ends, with a progress bar (bytes read of the file) and the outcome in words. */
async function follow(url) {
  const bar = $("upload-progress");
  const outcome = $("upload-outcome");
  bar.hidden = false;
  const ended = await poll(url, 500, (load) => {
    bar.max = Math.max(load.bytesTotal ?? 1, 1);
    bar.value = load.bytesDone ?? 0;
    bar.textContent = `${Math.round((100 * bar.value) / bar.max)} %`;
    const done = ["loaded", "failed", "unchanged"].includes(load.state);
    outcome.className = load.state === "failed" ? "error" : done ? "ok" : "";
    outcome.textContent = `${load.fileName} : ${t().states[load.state] ?? load.state}. ${load.message ?? t().rows(load.rowsDone ?? 0)}`;
    return done;
  });
  if (ended) await showBatches();
}

export async function render() {
  const kinds = $("upload-kind");
  fillSelect(kinds, app.ingestKinds.map(k => [k.id, label(k)]), kinds.value || "health");
  for (const [id, key] of [["upload-title", "uploadTitle"], ["upload-kind-label", "kind"], ["upload-file-label", "file"], ["upload-source-label", "source"],
    ["upload-licence-label", "licence"], ["upload-period-label", "period"], ["upload-submit", "upload"]]) $(id).textContent = t()[key];
  $("upload-progress").setAttribute("aria-label", t().progress);
  await Promise.all([showBatches(), showTraining(), showPipeline()]);
}

async function showBatches() {
  const batches = (await getJson("/api/ingest/batches?limit=20")) ?? [];
  const rows = batches.map(b => {
    const button = element("button", t().showQuarantine, { type: "button", "aria-label": `${t().showQuarantine} ${b.id}` });
    button.disabled = !b.rowsQuarantined;
    button.addEventListener("click", () => showQuarantine(b.id));
    const status = t().states[b.status] ?? b.status;
    return [{ text: String(b.id), number: true }, term(app.ingestKinds, b.kind), b.fileName, b.error ? `${status} — ${b.error}` : status,
      { text: formatNumber(b.rowsLoaded, 0), number: true }, { text: formatNumber(b.rowsQuarantined, 0), number: true }, b.loadedBy,
      b.finishedAt ? formatDate(b.finishedAt) : "—", button];
  });
  $("batches").replaceChildren(table(t().batchesTitle, t().batchColumns, rows, { id: "batches-table" }));
}

async function showQuarantine(id) {
  const rows = (await getJson(`/api/ingest/batches/${id}/quarantine`)) ?? [];
  const target = $("quarantine");
  target.replaceChildren(rows.length === 0 ? element("p", t().noQuarantine)
    : table(t().quarantine(id), t().quarantineColumns, rows.map(r => [{ text: String(r.line), number: true }, r.field ?? "", r.reason])));
  target.querySelector("caption, p").setAttribute("tabindex", "-1");
  target.querySelector("caption, p").focus();
}

async function showTraining() {
  const models = app.models;
  const target = $("training");
  target.replaceChildren(element("h3", t().trainingTitle));
  const bar = element("progress", "", { id: "training-progress", max: "1", value: "0", "aria-label": t().trainingProgress, hidden: "" });
  const outcome = element("p", "", { id: "training-outcome", role: "status" });
  for (const model of models) {
    const button = element("button", t().train(label(model)), { type: "button" });
    button.addEventListener("click", async () => {
      const response = await post(`/api/models/${encodeURIComponent(model.code)}/runs`);
      if (!response.ok) { outcome.className = "error"; outcome.textContent = await problemText(response, language()); return; }
      await followTraining((await response.json()).progress, bar, outcome);
    });
    target.append(button, " ");
  }
  target.append(bar, outcome);
}

/** Follows a launched training run to its end: the bar counts the run's steps; the outcome names the release awaiting review, or why it failed. */
async function followTraining(url, bar, outcome) {
  bar.hidden = false;
  outcome.className = "";
  await poll(url, 1000, (launch) => {
    const run = launch.run;
    bar.max = run?.stepCount ?? 1;
    bar.value = run?.stepsDone ?? 0;
    const failed = launch.job === "Failed" || run?.status === "failed";
    const ended = failed || run?.status === "succeeded";
    outcome.className = failed ? "error" : ended ? "ok" : "";
    outcome.textContent = failed ? t().failed(launch.error)
      : run?.status === "succeeded" ? t().succeeded(run.runId, run.releaseId)
      : run?.step ? t().running(run.runId, t().steps[run.step] ?? run.step, run.stepsDone, run.stepCount)
      : t().launch(launch.jobId, launch.job);
    return ended;
  });
}

/** The pipeline's part: a button that launches a run on the job workers, and the latest runs with each stage's outcome. */
async function showPipeline() {
  const target = $("pipeline");
  const outcome = element("p", "", { id: "pipeline-outcome", role: "status" });
  const launch = element("button", t().pipelineLaunch, { type: "button", id: "pipeline-launch" });
  const runs = element("div", undefined, { id: "pipeline-runs" });
  launch.addEventListener("click", async () => {
    const response = await post("/api/admin/jobs/pipeline");
    if (!response.ok) { outcome.className = "error"; outcome.textContent = await problemText(response, language()); return; }
    const run = await response.json();
    outcome.className = "";
    outcome.textContent = t().launched(run.id);
    await poll(`/api/admin/jobs/pipeline/${run.id}`, 1000, (view) => {
      showRuns(runs, [view]);
      return view.status === "succeeded" || view.status === "failed";   // a run is "queued" until a worker takes its first stage
    });
    await showRuns(runs);
  });
  target.replaceChildren(element("h3", t().pipelineTitle), element("p", t().pipelineIntro), launch, outcome, runs);
  await showRuns(runs);
}

/** The latest runs (or the given ones while one is followed), one row each, its stages listed in order. */
async function showRuns(target, given) {
  const runs = given ?? (await getJson("/api/admin/jobs/pipeline")) ?? [];
  if (runs.length === 0) { target.replaceChildren(element("p", t().noRuns)); return; }
  const seconds = (s) => (s.finishedAt ? Math.round((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000) : null);
  const stages = (run) => {
    const list = element("ul", undefined, { class: "stages" });
    for (const s of run.stages)
      list.append(element("li", t().stage(`${t().stageNames[s.stage] ?? s.stage}${s.unit ? ` « ${s.unit} »` : ""}`, t().stageStates[s.status] ?? s.status, s.detail, seconds(s)), { "data-status": s.status }));
    return list;
  };
  const rows = runs.map(r => [{ text: String(r.id), number: true }, `${r.requestedBy} (${t().triggers[r.trigger] ?? r.trigger})`, formatDate(r.createdAt),
    r.error ? `${t().runStates[r.status] ?? r.status} — ${r.error}` : (t().runStates[r.status] ?? r.status), stages(r)]);
  target.replaceChildren(table(t().pipelineCaption, t().pipelineColumns, rows, { id: "pipeline-table" }));
}
