// The test page: mounts the docs' React example (docs/examples/ai-sdk-react-chat.jsx) as a frontend team would,
// with the API address, the token and the chat id taken from the page's query string.
import { createRoot } from "react-dom/client";
import { TutorChat, loadChat } from "../../../docs/examples/ai-sdk-react-chat.jsx";

const query = new URLSearchParams(location.search);
const baseUrl = location.origin;
const token = query.get("token");
const chatId = query.get("chat");

const initialMessages = await loadChat(baseUrl, token, chatId);
createRoot(document.getElementById("root")).render(
  <TutorChat baseUrl={baseUrl} token={token} chatId={chatId} initialMessages={initialMessages} />,
);
