// Drives the playground page in headless Chromium (Debian's chromium through playwright-core: no browser
// download) against a live server. Exits non-zero with a reason on any failure.
//   STUDYGURU_BASE_URL=http://127.0.0.1:8000 CHROMIUM_PATH=/usr/bin/chromium node playground.e2e.mjs
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const baseUrl = process.env.STUDYGURU_BASE_URL ?? "http://127.0.0.1:8000";
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshotPath = process.env.SCREENSHOT_PATH;
const userDataDir = mkdtempSync(join(tmpdir(), "studyguru-chromium-"));

function fail(message) {
  throw new Error(`PLAYGROUND FAILED: ${message}`);
}

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
  console.error(`PLAYGROUND FAILED: Chromium at ${executablePath} could not be launched: ${error.message}`);
  process.exit(1);
}

try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(20_000);
  const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
  const text = async (id) => (await byTestId(id).textContent()) ?? "";

  await page.goto(`${baseUrl}/playground`);
  await byTestId("email").fill(`playground-${Date.now()}@example.com`);
  await byTestId("password").fill("secret123");
  await byTestId("register").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="balance"]').textContent.trim() !== "");
  const balanceBefore = Number(await text("balance"));
  if (!(balanceBefore > 0)) fail(`balance after sign-up is '${balanceBefore}'`);

  await byTestId("message").fill("Explain how photosynthesis works in plants");
  await byTestId("send").click();

  // Tokens must arrive while the answer is still running: text grows while points-cost is still empty.
  await page.waitForFunction(() => document.querySelector('[data-testid="answer"]').textContent.length > 0);
  const early = await text("answer");
  if ((await text("points-cost")) !== "") fail("points-cost was set before the first token was seen");
  await page.waitForFunction((n) => document.querySelector('[data-testid="answer"]').textContent.length > n, early.length);
  const later = await text("answer");
  const costWhileGrowing = await text("points-cost");
  if (costWhileGrowing !== "") fail(`the answer grew only after completion (points-cost '${costWhileGrowing}')`);
  console.log(`streaming: answer grew from ${early.length} to ${later.length} characters before completion`);

  await page.waitForFunction(() => document.querySelector('[data-testid="points-cost"]').textContent.trim() !== "");
  const cost = Number(await text("points-cost"));
  const balanceAfter = Number(await text("balance"));
  const answer = await text("answer");
  if (!(cost >= 1)) fail(`points-cost is '${cost}'`);
  if (balanceAfter !== balanceBefore - cost) fail(`balance ${balanceBefore} - cost ${cost} != shown balance ${balanceAfter}`);
  if (answer.length <= later.length) fail("the answer did not grow after the mid-stream check");
  if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
  console.log(`PLAYGROUND OK: ${answer.split(/\s+/).length} words, cost ${cost}, balance ${balanceBefore} -> ${balanceAfter}`);
} catch (error) {
  console.error(error.message.startsWith("PLAYGROUND FAILED") ? error.message : `PLAYGROUND FAILED: ${error.stack}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
