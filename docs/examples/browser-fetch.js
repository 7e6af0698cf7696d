// Browser (or any runtime with fetch + ReadableStream): POST /api/stream/stream-conversation.
// A network read can end in the middle of a line or of an event: keep the unfinished tail in a buffer.
export async function streamConversation({ baseUrl, token, message, interactionId = null, onToken = () => {} }) {
  const response = await fetch(`${baseUrl}/api/stream/stream-conversation`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      Accept: "text/event-stream",
    },
    body: JSON.stringify({ message, interaction_id: interactionId }),
  });
  if (!response.ok) {
    const problem = await response.json(); // application/problem+json
    throw new Error(`${response.status} ${problem.title}: ${problem.detail ?? JSON.stringify(problem.errors)}`);
  }

  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let data = "";
  let lastEventId = null; // send it back as Last-Event-ID to resume after a dropped connection
  let terminal = null;
  for (;;) {
    const { done, value } = await reader.read();
    buffer += decoder.decode(value, { stream: !done });
    const lines = buffer.split("\n");
    buffer = lines.pop(); // the last piece may be incomplete
    for (const raw of lines) {
      const line = raw.replace(/\r$/, "");
      if (line.startsWith("id: ")) lastEventId = line.slice(4);
      else if (line.startsWith("data: ")) data += line.slice(6);
      else if (line === "" && data) {
        const event = JSON.parse(data);
        data = "";
        if (event.type === "metadata") console.log("interaction", event.interaction_id, "reserved", event.reserved_points);
        else if (event.type === "token") onToken(event.content);
        else if (event.type === "complete" || event.type === "error") terminal = event;
      }
      // lines starting with ":" are heartbeats (": ping"): ignore them
    }
    if (done) break;
  }
  if (terminal?.type === "error") throw new Error(`${terminal.code}: ${terminal.error} (after ${lastEventId})`);
  return terminal; // { type: "complete", content, tokens_used, points_cost, points_balance, finish_reason, ... }
}
