import type { ChalkInstance } from "chalk";
import type { ChannelStatusDocument } from "../../relay/relay-api.js";
import type { FollowNotice } from "../../relay/follow-channel.js";
import { formatBytes } from "../../core/units.js";
import { localDateTime } from "./event-view.js";

type RelayOnlyNotice = Exclude<FollowNotice, { type: "event" } | { type: "warning" }>;

/** One line for a relay notice that is not an event: connected (with the backlog), caught up, lost, a stale event. */
export function formatRelayNotice(notice: RelayOnlyNotice, color: ChalkInstance): { text: string; warn: boolean } {
  if (notice.type === "stale") {
    const what = `${notice.eventId.slice(0, 10)}… was signed ${notice.ageSec} s ago, past ${notice.provider}'s ${notice.toleranceSec} s tolerance`;
    return notice.resigned
      ? { text: `${what}: re-signed for the handler (--resign-stale)`, warn: false }
      : { text: `${what}: forwarded as captured, so the handler may refuse it; send it fresh with \`hooktape replay ${notice.eventId} --resign\` (or follow with --resign-stale)`, warn: true };
  }
  switch (notice.state) {
    case "connected":
      return {
        text:
          notice.backlog > 0
            ? color.bold(`${notice.backlog} event${notice.backlog === 1 ? "" : "s"} arrived while you were away`)
            : `Following ${notice.channel}: nothing waiting`,
        warn: false,
      };
    case "caught-up":
      return { text: color.dim("Caught up; now live"), warn: false };
    case "disconnected":
      return { text: `the relay connection dropped (${notice.reason}); reconnecting in ${(notice.retryInMs / 1000).toFixed(1)} s`, warn: true };
  }
}

/** `relay status`: the channel's size and each consumer's backlog. */
export function formatChannelStatus(status: ChannelStatusDocument, color: ChalkInstance): string[] {
  const lines = [
    `${color.bold("Channel")}  ${status.channel}`,
    `  Events   ${status.events} (sequence ${status.head}), ${formatBytes(status.bytes)} of ${formatBytes(status.maxBytes)}`,
    `  Oldest   ${status.oldestReceivedAt === null ? color.dim("—") : localDateTime(status.oldestReceivedAt)} (kept ${status.retentionDays} days)`,
    `  Senders  get ${status.respond === "live" ? "the handler's answer while a listen is connected, else 202" : "200 once stored"}`,
  ];
  if (status.consumers.length === 0) lines.push(color.dim("  No consumer has followed it yet."));
  for (const consumer of status.consumers) {
    lines.push(
      `  ${consumer.connected ? color.green("●") : color.dim("○")} ${consumer.consumer}  acknowledged ${consumer.acked}, backlog ${consumer.backlog}, last seen ${localDateTime(consumer.seenAt)}`,
    );
  }
  return lines;
}
