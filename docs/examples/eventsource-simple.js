// EventSource (browsers): GET /api/stream/stream-simple. EventSource cannot send headers, so the token goes in
// ?access_token=. Close it on the terminal event: otherwise the browser reconnects ~3 s later (the server then
// answers 204 thanks to Last-Event-ID, so nothing is bought twice, but close anyway).
export function streamSimple({ baseUrl, token, message, onToken = () => {} }) {
  const url = new URL(`${baseUrl}/api/stream/stream-simple`);
  url.searchParams.set("message", message);
  url.searchParams.set("access_token", token);
  url.searchParams.set("client_message_id", crypto.randomUUID()); // the same URL on reconnect = the same question

  return new Promise((resolve, reject) => {
    const source = new EventSource(url);
    source.onmessage = (message) => {
      const event = JSON.parse(message.data); // no event: field; the JSON's type says what it is
      if (event.type === "start") console.log("generation", event.generation_id);
      else if (event.type === "token") onToken(event.content);
      else if (event.type === "complete") { source.close(); resolve(event); }
      else if (event.type === "error") { source.close(); reject(new Error(`${event.code}: ${event.error}`)); }
    };
    // Refusals (401, 402, 429...) arrive here without a body: EventSource cannot read problem responses.
    source.onerror = () => { source.close(); reject(new Error("stream-simple failed or was refused")); };
  });
}
