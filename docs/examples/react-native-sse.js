// React Native: react-native-sse (POST with headers and a body over XMLHttpRequest).
import EventSource from "react-native-sse";

export function streamConversationNative({ baseUrl, token, message, onToken = () => {} }) {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`${baseUrl}/api/stream/stream-conversation`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ message }),
      pollingInterval: 0, // no automatic reconnect: a reconnect without Last-Event-ID would ask again
      lineEndingCharacter: "\n", // the server frames with \n; saves guessing from the first chunk
    });
    source.addEventListener("message", (message) => {
      const event = JSON.parse(message.data);
      if (event.type === "token") onToken(event.content);
      else if (event.type === "complete") { source.close(); resolve(event); }
      else if (event.type === "error") { source.close(); reject(new Error(`${event.code}: ${event.error}`)); }
    });
    source.addEventListener("error", (error) => {
      source.close();
      reject(new Error(error.message ?? `HTTP ${error.xhrStatus}`)); // refusals: error.xhrStatus is the status
    });
  });
}
