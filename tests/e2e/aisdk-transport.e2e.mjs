// The real `ai` package against a live server: DefaultChatTransport sends a question, every chunk passes the
// package's own schema (the transport validates each one), readUIMessageStream builds one assistant message
// whose text is the saved answer and whose metadata carries the cost and the new balance, and the balance
// drops by exactly that cost. A retried POST attaches to the same answer; the restored chat passes
// validateUIMessages. Prints "AISDK TRANSPORT OK" on success.
//   STUDYGURU_BASE_URL=http://127.0.0.1:8000 node aisdk-transport.e2e.mjs
import { DefaultChatTransport, parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema, validateUIMessages } from "ai";
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApi, textOf } from "./aisdk-helpers.mjs";

const baseUrl = process.env.STUDYGURU_BASE_URL ?? "http://127.0.0.1:8000";
const api = createApi(baseUrl);
const fail = (message) => { throw new Error(`AISDK TRANSPORT FAILED: ${message}`); };

const token = await api.register("aisdk-node");
const balanceBefore = await api.balance(token);
const chatId = `node-${crypto.randomUUID().slice(0, 8)}`;
const question = { id: "q1", role: "user", parts: [{ type: "text", text: "Explain how photosynthesis works in plants" }] };

const transport = new DefaultChatTransport({ api: `${baseUrl}/api/chat`, headers: { Authorization: `Bearer ${token}` } });
const chunks = await transport.sendMessages({
  chatId,
  messages: [question],
  trigger: "submit-message",
  messageId: undefined,
  abortSignal: undefined,
});
const [forMessage, forChunks] = chunks.tee();

let assistant;
const reading = (async () => {
  for await (const message of readUIMessageStream({ stream: forMessage, terminateOnError: true })) assistant = message;
})();
const types = [];
for await (const chunk of forChunks) types.push(chunk.type);
await reading;

const deltas = types.filter((t) => t === "text-delta").length;
const expectedOrder = ["start", "start-step", "text-start", ...Array(deltas).fill("text-delta"), "text-end", "finish-step", "finish"];
if (deltas < 2) fail(`only ${deltas} text-delta chunks`);
if (JSON.stringify(types) !== JSON.stringify(expectedOrder)) fail(`chunk order ${types.join(",")}`);
if (assistant?.role !== "assistant") fail(`readUIMessageStream built ${JSON.stringify(assistant)}`);
const metadata = assistant.metadata ?? {};
for (const key of ["interaction_id", "generation_id", "tokens_used", "points_cost", "points_balance", "finish_reason"])
  if (metadata[key] === undefined) fail(`metadata has no ${key}: ${JSON.stringify(metadata)}`);
if (assistant.id !== metadata.generation_id) fail(`message id ${assistant.id} is not the generation id ${metadata.generation_id}`);

const saved = await api.chat(token, chatId);
const savedAnswer = saved.find((m) => m.role === "assistant");
if (saved.length !== 2 || savedAnswer?.id !== assistant.id) fail(`restored chat ${JSON.stringify(saved)}`);
if (textOf(assistant) !== textOf(savedAnswer)) fail("the streamed text differs from the saved answer");
if (!(metadata.points_cost >= 1)) fail(`points_cost ${metadata.points_cost}`);
const balanceAfter = await api.balance(token);
if (balanceAfter !== balanceBefore - metadata.points_cost) fail(`balance ${balanceBefore} -> ${balanceAfter}, cost ${metadata.points_cost}`);
if (metadata.points_balance !== balanceAfter) fail(`metadata points_balance ${metadata.points_balance}, account ${balanceAfter}`);
await validateUIMessages({ messages: saved });
console.log(`transport: ${deltas} text deltas, cost ${metadata.points_cost}, balance ${balanceBefore} -> ${balanceAfter}`);

// A retry of the same POST (same last message id and trigger) attaches: the same answer, no second charge.
const retry = await fetch(`${baseUrl}/api/chat`, {
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
  body: JSON.stringify({ id: chatId, messages: [question], trigger: "submit-message" }),
});
if (retry.headers.get("x-vercel-ai-ui-message-stream") !== "v1") fail("no x-vercel-ai-ui-message-stream: v1 header");
const raw = await new Response(retry.body).text();
if (!raw.trimEnd().endsWith("data: [DONE]")) fail("the stream does not end with data: [DONE]");
const parsed = parseJsonEventStream({ stream: new Response(raw).body, schema: uiMessageChunkSchema });
let startId;
for await (const result of parsed) {
  if (!result.success) fail(`a chunk failed the package's schema: ${result.error}`);
  if (result.value.type === "start") startId = result.value.messageId;
}
if (startId !== assistant.id) fail(`the retry started ${startId}, not ${assistant.id}`);
if ((await api.balance(token)) !== balanceAfter) fail("the retry was charged");
if ((await api.usedCharges(token)).length !== 1) fail("more than one charge in the ledger");
console.log("retry: attached to the same answer, one charge");
// The docs' Expo example cannot run here (no React Native), but it must compile against these packages.
const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [join(here, "..", "..", "docs", "examples", "ai-sdk-expo-chat.jsx")],
  bundle: true, write: false, format: "esm", jsx: "automatic", logLevel: "silent",
  nodePaths: [join(here, "node_modules")], external: ["expo/fetch", "react-native"],
});
console.log("expo example: compiles against ai and @ai-sdk/react");
console.log("AISDK TRANSPORT OK");
