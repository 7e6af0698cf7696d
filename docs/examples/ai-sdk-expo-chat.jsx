// Expo (React Native): the same useChat. React Native's own fetch cannot stream a response body; expo/fetch can.
import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { fetch as expoFetch } from "expo/fetch";
import { useMemo, useState } from "react";
import { Button, ScrollView, Text, TextInput, View } from "react-native";

function problemDetail(error) {
  try {
    return JSON.parse(error.message).detail ?? error.message; // a refusal's problem body
  } catch {
    return error.message;
  }
}

export function TutorChatScreen({ baseUrl, token, chatId, initialMessages }) {
  const transport = useMemo(
    () => new DefaultChatTransport({
      api: `${baseUrl}/api/chat`,
      headers: { Authorization: `Bearer ${token}` },
      fetch: expoFetch,
    }),
    [baseUrl, token],
  );
  const { messages, sendMessage, status, error } = useChat({ id: chatId, messages: initialMessages, transport });
  const [input, setInput] = useState("");
  const busy = status === "submitted" || status === "streaming";

  async function stopAnswer() {
    await expoFetch(`${baseUrl}/api/chat/${chatId}/stop`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
  }

  return (
    <View style={{ flex: 1, padding: 12 }}>
      <ScrollView>
        {messages.map((message) => (
          <Text key={message.id} style={{ marginVertical: 4, fontWeight: message.role === "user" ? "600" : "400" }}>
            {message.parts.filter((part) => part.type === "text").map((part) => part.text).join("")}
            {message.metadata?.points_cost != null ? `  (${message.metadata.points_cost} points)` : ""}
          </Text>
        ))}
      </ScrollView>
      {error && <Text style={{ color: "crimson" }}>{problemDetail(error)}</Text>}
      <TextInput value={input} onChangeText={setInput} placeholder="Ask the tutor" />
      {busy
        ? <Button title="Stop" onPress={stopAnswer} />
        : <Button title="Send" onPress={() => { sendMessage({ text: input }); setInput(""); }} />}
    </View>
  );
}
