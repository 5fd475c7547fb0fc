import { parseEventFilter, type EventFilterFlags } from "../../core/event-filter.js";
import { badInput } from "../../core/errors.js";
import { findHeader } from "../../core/headers.js";
import { jsonText } from "../../core/json-text.js";
import { formatBytes, parseDuration } from "../../core/units.js";
import { withStore, outputFor, type GlobalFlags } from "../context.js";
import { writeOutputFile } from "../output-file.js";
import { isPrintableText } from "../views/printable.js";
import {
  detailJson,
  formatBody,
  formatAttemptName,
  formatEventTable,
  formatHeaders,
  formatSentRequest,
  formatStatus,
  formatVerification,
  localDate,
  localDateTime,
  summaryJson,
} from "../views/event-view.js";

export async function runEventsList(flags: GlobalFlags & EventFilterFlags): Promise<void> {
  const output = outputFor(flags);
  // The provider catalogue (95 schemes and their libraries) is loaded only to check a --provider that was given:
  // `ls` loads a fifth of the modules without it.
  if (flags.provider !== undefined) (await import("../provider-flag.js")).parseProviderFlag(flags.provider);
  const now = Date.now();
  const filter = parseEventFilter(flags, now, 20);
  const { events, total } = withStore(flags, (store) => {
    const listed = store.listEvents(filter);
    // Counted only for the text's "N of total" line, and only when the list may be cut short by the limit: the JSON
    // document is the list alone, and counting reads every matching row (100,000 of them in a large store).
    const mayBeCut = !output.json && filter.limit > 0 && listed.length === filter.limit;
    return { events: listed, total: mayBeCut ? store.countEvents(filter) : listed.length };
  }, { readonly: true });
  if (output.json) {
    output.document(events.map(summaryJson));
    return;
  }
  if (events.length === 0) {
    output.info("No events match. Capture some with `hooktape listen 3000`.");
    return;
  }
  // The date only when it is not today for every event: a time alone would hide that they are from last week.
  const today = localDate(now);
  const withDate = events.some((event) => localDate(event.receivedAt) !== today);
  // Oldest at the top, like the live view of `listen`.
  for (const line of formatEventTable([...events].reverse(), output.color, { withDate })) output.line(line);
  if (total > events.length) output.info(output.color.dim(`${events.length} of ${total} — --limit 0 for all`));
}

export function runEventsShow(id: string, flags: GlobalFlags & { body?: boolean; force?: boolean }): void {
  const output = outputFor(flags);
  const { event, attempts } = withStore(flags, (store) => {
    const found = store.getEvent(id);
    return { event: found, attempts: store.listAttempts(found.id) };
  }, { readonly: true });
  if (flags.body) {
    const body = event.rejected ? Buffer.alloc(0) : event.body;
    // Raw bytes on a terminal are obeyed, not shown: escape sequences in a stranger's body would drive it.
    if (output.terminal && !flags.force && !isPrintableText(body)) {
      throw badInput(
        `The body of ${event.id} is binary or holds terminal control characters; pipe it (hooktape show ${event.id} --body | xxd) or pass --force`,
      );
    }
    output.bytes(body);
    return;
  }
  if (output.json) {
    output.document(detailJson(event, attempts));
    return;
  }
  const c = output.color;
  const contentType = findHeader(event.headers, "content-type");
  output.line(c.bold(`${event.method} ${event.url}`));
  output.line(`${c.dim("id")}        ${event.id}`);
  output.line(
    `${c.dim("received")}  ${localDateTime(event.receivedAt)} via ${event.via}${event.remoteAddress ? ` from ${event.remoteAddress}` : ""}` +
      (event.publicUrl ? ` (${event.publicUrl})` : ""),
  );
  const hint = event.verification.hint ? c.dim(` — ${event.verification.hint}`) : "";
  output.line(`${c.dim("signature")} ${event.provider ?? "unknown provider"} ${formatVerification(event.verification, c)}${hint}`);
  if (event.eventType !== null) output.line(`${c.dim("type")}      ${event.eventType}`);
  if (event.notForwarded === "filtered") output.line(`${c.dim("forward")}   ${c.yellow("not forwarded: its type is outside listen's --only")}`);
  else if (event.target !== null) output.line(`${c.dim("target")}    ${event.target}`);
  output.line(
    `${c.dim("body")}      ${event.bodySize} bytes` +
      (event.rejected ? c.red(" — rejected: too large, not recorded") : `, sha256 ${event.bodySha256}`),
  );
  output.line("");
  output.line(c.bold("Headers"));
  for (const line of formatHeaders(event.headers, c)) output.line(line);
  output.line("");
  output.line(c.bold("Body"));
  output.line(event.rejected ? "(not recorded)" : formatBody(event.body, contentType));
  output.line("");
  output.line(c.bold(`Deliveries (${attempts.length})`));
  if (attempts.length === 0) output.line(c.dim("  none"));
  for (const attempt of attempts) {
    output.line(
      `  ${localDateTime(attempt.startedAt)}  ${formatAttemptName(attempt)}  ${attempt.method} ${attempt.target}  → ` +
        `${formatStatus(attempt, c)}  ${Math.round(attempt.durationMs)} ms`,
    );
    for (const line of formatSentRequest(event, attempt, c, "      ")) output.line(line);
    for (const line of formatHeaders(attempt.responseHeaders, c, "      ")) output.line(line);
    if (attempt.responseSize > 0) {
      const responseType = findHeader(attempt.responseHeaders, "content-type");
      const shown = formatBody(attempt.responseBody, responseType, 2_000);
      for (const line of shown.split("\n")) output.line(`      ${line}`);
      if (attempt.responseSize > attempt.responseBody.length) {
        output.line(c.dim(`      (${attempt.responseSize} bytes in all; the first ${attempt.responseBody.length} kept)`));
      }
    }
  }
}

export function runEventsPrune(flags: GlobalFlags & { olderThan: string }): void {
  const output = outputFor(flags);
  const olderThanMs = parseDuration(flags.olderThan, "--older-than");
  const before = Date.now() - olderThanMs;
  const result = withStore(flags, (store) => store.pruneBefore(before));
  const freed = Math.max(0, result.bytesBefore - result.bytesAfter);
  if (output.json) {
    output.document({ deleted: result.deleted, before: new Date(before).toISOString(), bytesBefore: result.bytesBefore, bytesAfter: result.bytesAfter, freedBytes: freed, compacted: result.compacted });
    return;
  }
  output.line(
    `Deleted ${result.deleted} event${result.deleted === 1 ? "" : "s"} received before ${localDateTime(before)}; ` +
      `the store went from ${formatBytes(result.bytesBefore)} to ${formatBytes(result.bytesAfter)} (${formatBytes(freed)} freed).`,
  );
  if (!result.compacted) output.warn("another process is using the store: the deleted data is overwritten, but the file was not compacted; prune again later to shrink it");
}

/**
 * NDJSON of whole events. Credential headers (Authorization, Cookie, API keys) are redacted as in fixtures unless
 * --include-credentials; the file is created 0600 since it holds customers' payloads.
 */
export async function runEventsExport(
  flags: GlobalFlags & EventFilterFlags & { out?: string; force?: boolean; includeCredentials?: boolean },
): Promise<void> {
  const filter = parseEventFilter(flags, Date.now(), 0);
  const { redactHeaders } = await import("../../fixture-files/redact-headers.js");
  const lines = withStore(
    flags,
    (store) =>
      store
        .listCapturedEvents(filter)
        .reverse()
        .map((event) => {
          const attempts = store.listAttempts(event.id);
          if (flags.includeCredentials) return jsonText(detailJson(event, attempts));
          const sent = attempts.map((a) => (a.request === null ? a : { ...a, request: { ...a.request, headers: redactHeaders(a.request.headers) } }));
          return jsonText(detailJson({ ...event, headers: redactHeaders(event.headers) }, sent));
        }),
    { readonly: true },
  );
  const text = lines.length > 0 ? lines.join("\n") + "\n" : "";
  if (flags.out) {
    writeOutputFile(flags.out, text, { force: flags.force, flag: "--out" });
    outputFor(flags).info(`Exported ${lines.length} events to ${flags.out}`);
  } else {
    outputFor(flags).bytes(Buffer.from(text));
  }
}
