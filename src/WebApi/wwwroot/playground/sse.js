// A buffered Server-Sent Events reader over fetch(): a network chunk may end in the middle of a line or of an
// event, so bytes are decoded as a stream and only complete lines are parsed; an event ends at a blank line.
// Comment lines (": ping" heartbeats) are skipped. StudyGuru streams carry no "event:" field: read data.type.
"use strict";

async function readServerSentEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let id = null;
  let data = [];
  for (;;) {
    const { done, value } = await reader.read();
    buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      if (line === "") {
        if (data.length > 0) onEvent({ id, data: JSON.parse(data.join("\n")) });
        data = [];
      } else if (line.startsWith(":")) {
        continue;
      } else if (line.startsWith("id:")) {
        id = line.slice(3).trimStart();
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
      }
    }
    if (done) return;
  }
}
