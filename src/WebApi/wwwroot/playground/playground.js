// The playground's behaviour: plain browser JavaScript against the documented API (docs/streaming-api.md).
// Optional endpoints (thread list, media) may be missing on a server: the page says so and carries on.
"use strict";

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "studyguru.playground.token";
const state = { token: sessionStorage.getItem(TOKEN_KEY), attachments: [], controller: null };

function setText(id, text) { $(id).textContent = text ?? ""; }
function showError(text) { setText("error", text); }

async function problemText(response) {
  try {
    const problem = await response.json();
    const fields = problem.errors ? Object.values(problem.errors).flat().join(" ") : "";
    return `${response.status} ${problem.title ?? ""}${problem.detail ? ": " + problem.detail : ""} ${fields}`.trim();
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

async function api(path, options = {}) {
  const headers = { ...(options.headers ?? {}) };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  return fetch(path, { ...options, headers });
}

// ---- account ---------------------------------------------------------------------------------------------
async function authenticate(kind) {
  showError("");
  const response = await fetch(`/api/auth/${kind}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: $("email").value, password: $("password").value }),
  });
  if (!response.ok) return showError(await problemText(response));
  const result = await response.json();
  state.token = result.access_token;
  sessionStorage.setItem(TOKEN_KEY, state.token);
  showAccount(result.user);
  await loadThreads();
}

function showAccount(user) {
  setText("who", user ? user.email : "nobody");
  setText("balance", user ? String(user.current_points) : "");
  $("logout").hidden = !user;
}

async function refreshAccount() {
  if (!state.token) return showAccount(null);
  const response = await api("/api/account");
  if (response.status === 401) {
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    return showAccount(null);
  }
  if (response.ok) showAccount(await response.json());
}

// ---- threads (GET /api/interactions; optional) -------------------------------------------------------------
async function loadThreads() {
  if (!state.token) return;
  const select = $("thread-select");
  const chosen = select.value;
  let response;
  try {
    response = await api("/api/interactions?page=1&size=20");
  } catch {
    return setText("threads-note", "Thread list unavailable.");
  }
  if (!response.ok) {
    return setText("threads-note", response.status === 404
      ? "This server has no thread list yet: answers continue the thread chosen here during this visit."
      : `Thread list unavailable (${response.status}).`);
  }
  setText("threads-note", "");
  const page = await response.json();
  select.replaceChildren(new Option("New thread", ""));
  for (const thread of page.items ?? page.result ?? []) {
    select.append(new Option(`${thread.is_pinned ? "📌 " : ""}${thread.title ?? "(untitled)"}`, thread.id));
  }
  select.value = chosen;
}

function rememberThread(interactionId, title) {
  const select = $("thread-select");
  if (![...select.options].some((o) => o.value === interactionId)) select.append(new Option(title, interactionId));
  select.value = interactionId;
}

// ---- media (POST /api/media; optional) --------------------------------------------------------------------
async function attach(file) {
  showError("");
  const form = new FormData();
  form.append("file", file);
  if ($("thread-select").value) form.append("interaction_id", $("thread-select").value);
  const response = await api("/api/media", { method: "POST", body: form });
  if (response.status === 404 || response.status === 405) return showError("This server does not accept uploads yet.");
  if (!response.ok) return showError(await problemText(response));
  const media = await response.json();
  state.attachments.push({ id: media.media_id, url: media.file_url });
  setText("attachments", `${state.attachments.length} image(s) attached`);
}

// ---- ask and stream ---------------------------------------------------------------------------------------
function resetAnswer() {
  for (const id of ["answer", "reserved", "points-cost", "finish-reason", "last-event-id", "error"]) setText(id, "");
  setText("token-count", "0");
}

function onStreamEvent({ id, data }, question) {
  setText("last-event-id", id);
  switch (data.type) {
    case "metadata":
      setText("reserved", String(data.reserved_points));
      setText("status", "streaming");
      rememberThread(data.interaction_id, question.slice(0, 40) || "Image question");
      break;
    case "token":
      $("answer").append(data.content);
      setText("token-count", String(Number($("token-count").textContent) + 1));
      break;
    case "complete":
      setText("points-cost", String(data.points_cost));
      setText("finish-reason", data.finish_reason);
      setText("balance", String(data.points_balance));
      setText("status", "complete");
      break;
    case "error":
      showError(`${data.code}: ${data.error}`);
      setText("status", "error");
      break;
  }
}

async function send() {
  if (!state.token) return showError("Sign up or log in first.");
  resetAnswer();
  const question = $("message").value;
  const body = {
    interaction_id: $("thread-select").value || null,
    message: question,
    media_files: state.attachments,
    max_tokens: Number($("max-tokens").value) || null,
  };
  state.controller = new AbortController();
  $("send").disabled = true;
  $("stop").disabled = false;
  setText("status", "waiting");
  try {
    const response = await api("/api/stream/stream-conversation", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal: state.controller.signal,
    });
    if (!response.ok) {
      setText("status", "refused");
      return showError(await problemText(response));
    }
    await readServerSentEvents(response, (event) => onStreamEvent(event, question));
    state.attachments = [];
    setText("attachments", "");
    $("message").value = "";
  } catch (error) {
    if (error.name === "AbortError") setText("status", "stopped (the server saves and charges what was produced)");
    else showError(String(error));
  } finally {
    $("send").disabled = false;
    $("stop").disabled = true;
    state.controller = null;
    if ($("status").textContent !== "complete") await refreshAccount();
  }
}

// ---- wiring -----------------------------------------------------------------------------------------------
$("register").addEventListener("click", () => authenticate("register"));
$("login").addEventListener("click", () => authenticate("login"));
$("logout").addEventListener("click", () => {
  state.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  showAccount(null);
});
$("refresh-threads").addEventListener("click", loadThreads);
$("attach").addEventListener("change", (e) => { if (e.target.files[0]) attach(e.target.files[0]); e.target.value = ""; });
$("send").addEventListener("click", send);
$("stop").addEventListener("click", () => state.controller?.abort());
$("message").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) send(); });

refreshAccount().then(loadThreads);
