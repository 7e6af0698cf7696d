// Runs every client example of docs/streaming-api.md (the files under docs/examples, which the guide includes
// verbatim) against a live server, each with a fresh account, and checks that it printed or returned a streamed
// answer and its complete event. Exits non-zero on any failure.
//   STUDYGURU_BASE_URL=http://127.0.0.1:8000 node run-doc-examples.mjs
import { spawn } from "node:child_process";
import { register as registerLoader } from "node:module";
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EventSource } from "eventsource";
import xmlHttpRequestSsl from "xmlhttprequest-ssl";

const here = dirname(fileURLToPath(import.meta.url));
const examplesDir = join(here, "..", "..", "docs", "examples");
const baseUrl = process.env.STUDYGURU_BASE_URL ?? "http://127.0.0.1:8000";

// Browser globals the browser/React Native examples expect, provided under Node.
globalThis.EventSource = EventSource;
globalThis.XMLHttpRequest = xmlHttpRequestSsl.XMLHttpRequest ?? xmlHttpRequestSsl;
globalThis.window = globalThis; // @microsoft/fetch-event-source calls window.setTimeout/clearTimeout
// ...and document.removeEventListener("visibilitychange") when it stops, even with openWhenHidden.
globalThis.document = { hidden: false, addEventListener() {}, removeEventListener() {} };

registerLoader("./react-native-sse-interop.mjs", import.meta.url);

// Copied beside this package so that their bare imports resolve to tests/e2e/node_modules.
const copied = join(here, ".examples");
mkdirSync(copied, { recursive: true });
cpSync(examplesDir, copied, { recursive: true });
const load = (file) => import(pathToFileURL(join(copied, file)).href);

async function register() {
  const response = await fetch(`${baseUrl}/api/auth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: `docs-${crypto.randomUUID()}@example.com`, password: "secret123" }),
  });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

function checkAnswer(name, tokens, complete) {
  if (tokens.length < 2) throw new Error(`${name}: only ${tokens.length} token(s) streamed`);
  if (complete?.type !== "complete") throw new Error(`${name}: no complete event (${JSON.stringify(complete)})`);
  if (complete.content !== tokens.join("")) throw new Error(`${name}: complete.content differs from the joined tokens`);
  if (!(complete.points_cost >= 1)) throw new Error(`${name}: points_cost ${complete.points_cost}`);
  return `${tokens.length} tokens, points_cost ${complete.points_cost}`;
}

async function runModuleExample(file, exportName, message) {
  const module = await load(file);
  const token = await register();
  const tokens = [];
  const complete = await module[exportName]({ baseUrl, token, message, onToken: (t) => tokens.push(t) });
  return checkAnswer(file, tokens, complete);
}

function runProcess(command, args, token) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, STUDYGURU_BASE_URL: baseUrl, STUDYGURU_TOKEN: token } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}:\n${output}`))));
  });
}

async function runScriptExample(file, command, message) {
  const output = await runProcess(command, [join(examplesDir, file), message], await register());
  const completeLine = output.split("\n").find((l) => l.startsWith("complete: "));
  if (!completeLine) throw new Error(`${file}: no complete line in:\n${output}`);
  const complete = JSON.parse(completeLine.slice("complete: ".length));
  const streamed = output.slice(output.indexOf("]\n") + 2, output.indexOf("\ncomplete: "));
  if (streamed !== complete.content) throw new Error(`${file}: printed text differs from complete.content:\n${output}`);
  return checkAnswer(file, complete.content.split(/(?= )/), complete);
}

const examples = [
  ["browser-fetch.js", () => runModuleExample("browser-fetch.js", "streamConversation", "Explain the water cycle")],
  ["eventsource-simple.js", () => runModuleExample("eventsource-simple.js", "streamSimple", "What is 12*(3+4)?")],
  ["fetch-event-source.js", () => runModuleExample("fetch-event-source.js", "streamWithFetchEventSource", "Explain prime numbers")],
  ["react-native-sse.js", () => runModuleExample("react-native-sse.js", "streamConversationNative", "Explain fractions")],
  ["node-client.mjs", () => runScriptExample("node-client.mjs", process.execPath, "Explain gravity")],
  ["python_client.py", () => runScriptExample("python_client.py", process.env.PYTHON ?? "python3", "Explain photosynthesis")],
];

let failed = 0;
for (const [name, run] of examples) {
  try {
    console.log(`ok ${name}: ${await run()}`);
  } catch (error) {
    failed++;
    console.log(`FAILED ${name}: ${error.stack ?? error}`);
  }
}
console.log(`${examples.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
