// @microsoft/fetch-event-source: POST with headers, resumes with Last-Event-ID after a dropped connection.
import { fetchEventSource } from "@microsoft/fetch-event-source";

class StreamEnded extends Error {}

export async function streamWithFetchEventSource({ baseUrl, token, message, onToken = () => {} }) {
  let terminal = null;
  const controller = new AbortController();
  try {
    await fetchEventSource(`${baseUrl}/api/stream/stream-conversation`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ message }),
      signal: controller.signal,
      openWhenHidden: true, // keep streaming in a background tab: closing would cancel the answer
      async onopen(response) {
        if (response.status === 204) throw new StreamEnded(); // resumed a generation that has ended: done
        const type = response.headers.get("content-type") ?? "";
        if (response.ok && type.startsWith("text/event-stream")) return;
        const problem = await response.json();
        throw new Error(`${response.status} ${problem.title}`); // a refusal: do not retry
      },
      onmessage(message) {
        if (!message.data) return;
        const event = JSON.parse(message.data);
        if (event.type === "token") onToken(event.content);
        if (event.type === "complete" || event.type === "error") {
          terminal = event;
          controller.abort(); // stop here: the library would otherwise reconnect when the server closes
        }
      },
      onclose() {
        if (!terminal) throw new Error("closed before the terminal event"); // or retry: it resends Last-Event-ID
      },
      onerror(error) {
        throw error; // rethrow = no automatic retry for these
      },
    });
  } catch (error) {
    if (!(error instanceof StreamEnded)) throw error;
  }
  if (terminal?.type === "error") throw new Error(`${terminal.code}: ${terminal.error}`);
  return terminal;
}
