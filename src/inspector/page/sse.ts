/** One Server-Sent Events message: its `id:` (if any), `event:` name and `data:` lines joined. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/** Splits a text/event-stream into messages as chunks arrive (a chunk may end anywhere, even inside a line). */
export class SseParser {
  private buffer = "";

  push(chunk: string): SseMessage[] {
    this.buffer += chunk.replace(/\r\n?/g, "\n");
    const messages: SseMessage[] = [];
    let end: number;
    while ((end = this.buffer.indexOf("\n\n")) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const message = parseBlock(block);
      if (message) messages.push(message);
    }
    return messages;
  }
}

function parseBlock(block: string): SseMessage | null {
  const message: SseMessage = { id: null, event: "message", data: "" };
  let hasData = false;
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") message.id = value;
    else if (field === "event") message.event = value;
    else if (field === "data") {
      message.data += (hasData ? "\n" : "") + value;
      hasData = true;
    }
  }
  return hasData ? message : null;
}
