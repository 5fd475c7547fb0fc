import { authorization } from "./api.js";
import type { EventSummary, RunStatus } from "./documents.js";
import { SseParser } from "./sse.js";

export type Connection = "connecting" | "live" | "offline" | "locked";

export interface StreamHandlers {
  onEvent(change: { event: EventSummary; replays: number }): void;
  onRun(status: RunStatus): void;
  onConnection(state: Connection): void;
  /** The stream is back after a gap (hooktape was restarted, the laptop slept): what the page shows may be stale. */
  onResumed(): void;
}

/** The server pings every 15 s: a stream silent for longer than this is dead, whatever the socket says. */
const SILENCE_MS = 45_000;
const MAX_WAIT_MS = 2_000;

/**
 * Follows /api/stream with `fetch` (an EventSource cannot send the Authorization header), and keeps following it:
 * after a drop it reconnects within two seconds, for as long as the tab is open, resuming with Last-Event-ID.
 * A 401 stops it: the token is not this inspector's any more (`ui --new-token`, or another store on this port).
 */
export function followStream(handlers: StreamHandlers): () => void {
  let lastId: string | null = null;
  let stopped = false;
  let controller: AbortController | null = null;
  let failures = 0;
  let connectedBefore = false;

  const readOnce = async (): Promise<"locked" | "ended"> => {
    controller = new AbortController();
    const current = controller;
    let silence = setTimeout(() => current.abort(), SILENCE_MS);
    try {
      const headers: Record<string, string> = { ...authorization(), Accept: "text/event-stream" };
      if (lastId !== null) headers["Last-Event-ID"] = lastId;
      const response = await fetch("/api/stream", { headers, signal: current.signal, credentials: "omit", cache: "no-store" });
      if (response.status === 401) return "locked";
      if (!response.ok || response.body === null) return "ended";
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return "ended";
        clearTimeout(silence);
        silence = setTimeout(() => current.abort(), SILENCE_MS);
        for (const message of parser.push(value)) {
          if (message.id !== null) lastId = message.id;
          if (message.event === "event") handlers.onEvent(JSON.parse(message.data) as { event: EventSummary; replays: number });
          else if (message.event === "run") handlers.onRun(JSON.parse(message.data) as RunStatus);
          else if (message.event === "ready") {
            handlers.onConnection("live");
            if (connectedBefore) handlers.onResumed();
            connectedBefore = true;
            failures = 0;
          }
        }
      }
    } catch {
      return "ended"; // refused while hooktape restarts, reset when it stopped, or aborted for silence
    } finally {
      clearTimeout(silence);
    }
  };

  void (async () => {
    while (!stopped) {
      const outcome = await readOnce();
      if (stopped) return;
      if (outcome === "locked") return handlers.onConnection("locked");
      failures += 1;
      handlers.onConnection("offline");
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_WAIT_MS, 250 * failures)));
    }
  })();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
