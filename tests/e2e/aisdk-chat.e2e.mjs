// The docs' React example (docs/examples/ai-sdk-react-chat.jsx: @ai-sdk/react's useChat, unchanged) bundled
// with esbuild now, served on the API's own origin and driven in headless Chromium (Debian's chromium through
// playwright-core). Scenarios (AISDK_SCENARIOS, comma-separated): streaming, resume, stop, refusals, image.
// Prints "<SCENARIO> OK" for each and "AISDK CHAT OK" at the end; exits non-zero with a reason otherwise.
//   STUDYGURU_BASE_URL=http://127.0.0.1:8000 CHROMIUM_PATH=/usr/bin/chromium node aisdk-chat.e2e.mjs
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApi, textOf } from "./aisdk-helpers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const baseUrl = process.env.STUDYGURU_BASE_URL ?? "http://127.0.0.1:8000";
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const scenarios = (process.env.AISDK_SCENARIOS ?? "streaming,resume,stop,refusals").split(",");
const api = createApi(baseUrl);
const fail = (message) => { throw new Error(`AISDK CHAT FAILED: ${message}`); };
// Unique per use: identical prompts are answered from the response cache at full speed.
const longQuestion = () => `Explain how photosynthesis works in plants, step by step (${crypto.randomUUID().slice(0, 8)})`;

const bundle = await build({
  entryPoints: [join(here, "aisdk", "page-entry.jsx")],
  bundle: true,
  write: false,
  format: "esm",
  target: "es2022",
  jsx: "automatic",
  nodePaths: [join(here, "node_modules")], // the example lives in docs/: its imports resolve here
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "silent",
});
const appJs = bundle.outputFiles[0].text;
const html = '<!doctype html><html><head><meta charset="utf-8"><title>AI SDK chat</title></head>'
  + '<body><div id="root"></div><script type="module" src="/__aisdk-test/app.js"></script></body></html>';

const userDataDir = mkdtempSync(join(tmpdir(), "studyguru-aisdk-"));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    timeout: 30_000,
  });
} catch (error) {
  console.error(`AISDK CHAT FAILED: Chromium at ${executablePath} could not be launched: ${error.message}`);
  process.exit(1);
}
// Same origin as the API: the page is what a frontend team would host beside it.
await context.route(`${baseUrl}/__aisdk-test/**`, (route) => {
  const isScript = route.request().url().endsWith("/app.js");
  return route.fulfill({ status: 200, contentType: isScript ? "text/javascript" : "text/html", body: isScript ? appJs : html });
});

async function openChat(token, chatId) {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${baseUrl}/__aisdk-test/index.html?token=${encodeURIComponent(token)}&chat=${chatId}`);
  await page.locator("form").waitFor();
  return page;
}

const assistantText = (page) => page.evaluate(() =>
  [...document.querySelectorAll("article.assistant p")].map((p) => p.textContent).join(""));
const status = (page) => page.locator("output").getAttribute("data-status");

async function ask(page, text) {
  await page.locator('input[placeholder="Ask the tutor"]').fill(text);
  await page.locator('button[type="submit"]').click();
}

async function waitForCost(page) {
  const cost = page.locator("article.assistant small.cost");
  await cost.waitFor();
  return { cost: Number(await cost.getAttribute("data-cost")), balance: Number(await cost.getAttribute("data-balance")) };
}

async function streaming() {
  const token = await api.register("aisdk-stream");
  const before = await api.balance(token);
  const chatId = `stream-${crypto.randomUUID().slice(0, 8)}`;
  const page = await openChat(token, chatId);
  await ask(page, longQuestion());
  await page.waitForFunction(() => document.querySelector("article.assistant p")?.textContent.length > 0);
  const early = await assistantText(page);
  if (await page.locator("article.assistant small.cost").count() !== 0) fail("streaming: the cost was shown with the first token");
  await page.waitForFunction((n) => document.querySelector("article.assistant p").textContent.length > n, early.length);
  if (await page.locator("article.assistant small.cost").count() !== 0) fail("streaming: the answer grew only after finish");
  const { cost, balance } = await waitForCost(page);
  const saved = await api.chat(token, chatId);
  if (await assistantText(page) !== textOf(saved[1])) fail("streaming: the page's text differs from the saved answer");
  if (balance !== before - cost || (await api.balance(token)) !== balance) fail(`streaming: balance ${before} - ${cost} != ${balance}`);
  console.log(`STREAMING OK: grew from ${early.length} characters before finish; cost ${cost}, balance ${before} -> ${balance}`);
  await page.close();
}

async function resume() {
  const token = await api.register("aisdk-resume");
  const before = await api.balance(token);
  const chatId = `resume-${crypto.randomUUID().slice(0, 8)}`;
  const page = await openChat(token, chatId);
  await ask(page, longQuestion());
  await page.waitForFunction(() => document.querySelector("article.assistant p")?.textContent.length > 20);
  const beforeReload = (await assistantText(page)).length;
  const resumed = page.waitForResponse((r) => r.url().endsWith(`/api/chat/${chatId}/stream`));
  await page.reload();
  // The restored chat has the question; the running answer comes back through the resume, from its start.
  if ((await resumed).status() !== 200) fail(`resume: the answer had ended before the reload (${(await resumed).status()})`);
  await page.locator("article.user").waitFor();
  await page.locator("article.assistant p").waitFor();
  const { cost, balance } = await waitForCost(page);
  const saved = await api.chat(token, chatId);
  if (saved.length !== 2) fail(`resume: the saved chat has ${saved.length} messages`);
  if (await assistantText(page) !== textOf(saved[1])) fail("resume: the page's text is not the whole saved answer");
  if ((await page.locator("article.assistant").count()) !== 1) fail("resume: the answer appears twice");
  const charges = await api.usedCharges(token);
  if (charges.length !== 1 || balance !== before - cost) fail(`resume: ${charges.length} charges, balance ${before} -> ${balance}, cost ${cost}`);
  console.log(`RESUME OK: reloaded at ${beforeReload} characters, ended with ${textOf(saved[1]).length}; one charge of ${cost}`);
  await page.close();
}

async function stop() {
  const token = await api.register("aisdk-stop");
  const before = await api.balance(token);
  const chatId = `stop-${crypto.randomUUID().slice(0, 8)}`;
  const page = await openChat(token, chatId);
  await ask(page, longQuestion());
  await page.waitForFunction(() => document.querySelector("article.assistant p")?.textContent.length > 20);
  await page.locator("button", { hasText: "Stop" }).click();
  const { cost } = await waitForCost(page);
  await page.waitForFunction(() => document.querySelector("output").dataset.status === "ready");
  const shown = await assistantText(page);
  const saved = await api.chat(token, chatId);
  const answer = saved[1];
  if (answer?.metadata?.status !== "cancelled") fail(`stop: the answer was saved as ${answer?.metadata?.status}`);
  if (textOf(answer) !== shown) fail("stop: the saved partial answer differs from what the page showed");
  if (!(answer.metadata.output_tokens > 0) || !(cost >= 1) || answer.metadata.points_cost !== cost) fail(`stop: charged ${cost} for ${answer.metadata.output_tokens} tokens`);
  if ((await api.balance(token)) !== before - cost) fail("stop: the balance did not drop by the charge");
  console.log(`STOP OK: saved as cancelled with ${shown.split(" ").length} words (${answer.metadata.output_tokens} tokens), charged ${cost}`);
  await page.close();
}

async function refusals() {
  // 402: a question that the balance of a new account cannot pay for.
  const poor = await api.register("aisdk-402");
  const page = await openChat(poor, `poor-${crypto.randomUUID().slice(0, 8)}`);
  await ask(page, "ꙮ".repeat(4000));
  const alert = page.locator('[role="alert"]');
  await alert.waitFor();
  const paymentText = await alert.textContent();
  if (!/you have 30/.test(paymentText) || /\{/.test(paymentText)) fail(`402: the page shows '${paymentText}'`);
  if ((await page.locator("article.assistant").count()) !== 0) fail("402: an answer appeared");
  await page.close();

  // 429: three answers already running for this student (the per-user cap), then one more from the page.
  const busy = await api.register("aisdk-429");
  const running = [];
  for (let i = 0; i < 3; i++) {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: "POST",
      signal: controller.signal,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${busy}` },
      body: JSON.stringify({ id: `busy-${i}-${crypto.randomUUID().slice(0, 8)}`, trigger: "submit-message",
        messages: [{ id: `q${i}`, role: "user", parts: [{ type: "text", text: longQuestion() }] }] }),
    });
    if (response.status !== 200) fail(`429: running answer ${i} got ${response.status}`);
    running.push({ controller, reader: response.body.getReader() });
    await running[i].reader.read();
  }
  const limited = await openChat(busy, `limited-${crypto.randomUUID().slice(0, 8)}`);
  await ask(limited, "What is 2+2?");
  await limited.locator('[role="alert"]').waitFor();
  const limitText = await limited.locator('[role="alert"]').textContent();
  if (!/being written|too many/i.test(limitText) || /\{/.test(limitText)) fail(`429: the page shows '${limitText}'`);
  for (const { controller } of running) controller.abort();
  console.log(`REFUSALS OK: 402 shown as '${paymentText}'; 429 shown as '${limitText}'`);
  await limited.close();
}

async function image() {
  const token = await api.register("aisdk-image");
  const chatId = `image-${crypto.randomUUID().slice(0, 8)}`;
  const png = Buffer.from(process.env.AISDK_IMAGE_BASE64 ?? fail("AISDK_IMAGE_BASE64 is not set"), "base64");
  const page = await openChat(token, chatId);
  await page.locator('input[type="file"]').setInputFiles({ name: "homework.png", mimeType: "image/png", buffer: png });
  await ask(page, "What is in this picture?");
  await waitForCost(page);
  const saved = await api.chat(token, chatId);
  const file = saved[0].parts.find((p) => p.type === "file");
  if (!file || file.mediaType !== "image/png") fail(`image: the saved question has no image part: ${JSON.stringify(saved[0])}`);
  const stored = Buffer.from(await (await fetch(file.url)).arrayBuffer());
  if (!stored.equals(png)) fail("image: the stored file differs from the attached one");
  console.log("IMAGE OK: attached through useChat's files, stored and answered");
  await page.close();
}

const runs = { streaming, resume, stop, refusals, image };
try {
  for (const name of scenarios) await runs[name]();
  console.log("AISDK CHAT OK");
} catch (error) {
  console.error(error.message.startsWith("AISDK CHAT FAILED") ? error.message : `AISDK CHAT FAILED: ${error.stack}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
