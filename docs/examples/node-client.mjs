// Node.js 18+: a command-line client. Reads the SSE response line by line (readline buffers partial lines).
//   STUDYGURU_BASE_URL=http://localhost:8000 STUDYGURU_TOKEN=... node node-client.mjs "What is 12*(3+4)?"
import { request } from "node:http";
import { createInterface } from "node:readline";

const baseUrl = process.env.STUDYGURU_BASE_URL ?? "http://localhost:8000";
const token = process.env.STUDYGURU_TOKEN;
const message = process.argv[2] ?? "What is 12*(3+4)?";

const req = request(`${baseUrl}/api/stream/stream-conversation`, {
  method: "POST",
  headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "text/event-stream" },
});
req.on("response", async (res) => {
  if (res.statusCode !== 200) {
    let body = "";
    for await (const chunk of res) body += chunk;
    console.error(`refused: ${res.statusCode} ${body}`); // application/problem+json
    process.exitCode = 1;
    return;
  }
  let data = "";
  for await (const line of createInterface({ input: res, crlfDelay: Infinity })) {
    if (line.startsWith("data: ")) data += line.slice(6);
    else if (line === "" && data) {
      const event = JSON.parse(data);
      data = "";
      if (event.type === "token") process.stdout.write(event.content);
      else if (event.type === "metadata") console.log(`[generation ${event.generation_id}]`);
      else console.log(`\n${event.type}: ${JSON.stringify(event)}`);
      if (event.type === "error") process.exitCode = 1;
    }
  }
});
req.on("error", (error) => { console.error(error.message); process.exitCode = 1; });
req.end(JSON.stringify({ message, max_tokens: 300 }));
