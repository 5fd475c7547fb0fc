/**
 * The first line of a handler's answer, for a non-2xx ("Timestamp outside the tolerance zone"): text only,
 * control characters out, capped. Null when there is nothing readable.
 */
export function firstLineOf(body: Buffer, max = 120): string | null {
  if (body.length === 0) return null;
  const text = body.subarray(0, 4096).toString("utf8");
  if (text.includes("\uFFFD") && !Buffer.from(text, "utf8").equals(body.subarray(0, 4096))) {
    // Binary, or a multi-byte character cut at 4096: keep only what decoded cleanly.
    const clean = text.replace(/\uFFFD+$/, "");
    if (clean.includes("\uFFFD")) return null;
  }
  // eslint-disable-next-line no-control-regex
  const line = text.split(/\r?\n/).map((part) => part.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim()).find((part) => part !== "");
  if (line === undefined) return null;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
