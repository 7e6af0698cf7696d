// A tutoring chat with the AI SDK's useChat, unchanged: the transport only needs the URL and a bearer header.
// Reload-safe: the page restores the saved chat (GET /api/chat/{id}) and resumes an answer still running.
import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useMemo, useRef, useState } from "react";

// Before mounting: the saved chat as UI messages (404: a chat that has no message yet).
export async function loadChat(baseUrl, token, chatId) {
  const response = await fetch(`${baseUrl}/api/chat/${chatId}`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`Could not load the chat (${response.status})`);
  return (await response.json()).messages;
}

// A refusal before the stream (402 no points, 429 too many requests...) arrives as the error's message:
// the raw problem+json body. Show its detail.
function problemDetail(error) {
  try {
    return JSON.parse(error.message).detail ?? error.message;
  } catch {
    return error.message;
  }
}

export function TutorChat({ baseUrl, token, chatId, initialMessages }) {
  const transport = useMemo(
    () => new DefaultChatTransport({ api: `${baseUrl}/api/chat`, headers: { Authorization: `Bearer ${token}` } }),
    [baseUrl, token],
  );
  const { messages, sendMessage, status, error, stop } = useChat({
    id: chatId,
    messages: initialMessages,
    transport,
    resume: true, // after a reload, picks up the answer that is still running (the server answers 204 when none is)
  });
  const [input, setInput] = useState("");
  const files = useRef(null);
  const busy = status === "submitted" || status === "streaming";

  // Closing the request alone does not stop the tutor (the answer stays resumable): ask the server to stop.
  // The stream then ends by itself, with what was produced and what it cost.
  async function stopAnswer() {
    const response = await fetch(`${baseUrl}/api/chat/${chatId}/stop`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) await stop();
  }

  function submit(event) {
    event.preventDefault();
    sendMessage({ text: input, files: files.current.files }); // images go as data: URLs
    setInput("");
    files.current.value = "";
  }

  return (
    <main>
      {messages.map((message) => (
        <article key={message.id} className={`message ${message.role}`}>
          {message.parts.map((part, index) =>
            part.type === "text" ? <p key={index}>{part.text}</p>
            : part.type === "file" ? <img key={index} src={part.url} alt="attachment" width={96} />
            : null)}
          {message.metadata?.points_cost != null && (
            <small className="cost" data-cost={message.metadata.points_cost} data-balance={message.metadata.points_balance}>
              {message.metadata.points_cost} points
              {message.metadata.points_balance != null && ` · ${message.metadata.points_balance} left`}
            </small>
          )}
        </article>
      ))}
      {error && <p role="alert">{problemDetail(error)}</p>}
      <form onSubmit={submit}>
        <input value={input} onChange={(event) => setInput(event.target.value)} placeholder="Ask the tutor" />
        <input type="file" accept="image/png,image/jpeg,image/webp,image/gif" multiple ref={files} />
        {busy ? <button type="button" onClick={stopAnswer}>Stop</button> : <button type="submit">Send</button>}
      </form>
      <output data-status={status}>{status}</output>
    </main>
  );
}
