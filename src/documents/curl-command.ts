import type { HeaderPairs } from "../core/types.js";

/** POSIX single quoting: everything literal, `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command (for a POSIX shell) that sends exactly these bytes and nothing else, whatever the request holds:
 * - the body goes in `--data-raw`, which never reads `@file` (with `--data-binary '@/etc/passwd'` a captured body
 *   would have curl send a local file); bodies that are not plain printable UTF-8 (a CR, a control, invalid UTF-8)
 *   are piped through `base64 -d` into `--data-binary @-`, so that no byte changes on the way and the command
 *   itself holds no control character a terminal would obey;
 * - `--globoff`: `[1-3]` and `{a,b}` in a path are characters, not a range curl expands into several requests;
 * - the URL is quoted like everything else, and so is a method that is not plain letters.
 */
export function formatCurl(request: { method: string; url: string; headers: HeaderPairs; body: Buffer }): string {
  const text = request.body.toString("utf8");
  const printable = Buffer.from(text, "utf8").equals(request.body) && !/[\0-\x08\x0b-\x1f\x7f-\x9f]/.test(text);
  const method = /^[A-Za-z]+$/.test(request.method) ? request.method : shellQuote(request.method);
  const lines = [`curl -sS --globoff -X ${method} ${shellQuote(request.url)}`];
  // `Name:` would tell curl to leave the header out; `Name;` is curl's way to send it empty.
  for (const [name, value] of request.headers) lines.push(`  -H ${shellQuote(value === "" ? `${name};` : `${name}: ${value}`)}`);
  if (request.body.length === 0) return lines.join(" \\\n");
  // curl labels a body form data unless told otherwise: a request that had no Content-Type goes without one.
  if (!request.headers.some(([name]) => name.toLowerCase() === "content-type")) lines.push(`  -H ${shellQuote("Content-Type:")}`);
  if (printable) {
    lines.push(`  --data-raw ${shellQuote(text)}`);
    return lines.join(" \\\n");
  }
  lines.push("  --data-binary @-");
  return `printf %s ${shellQuote(request.body.toString("base64"))} | base64 -d | ` + lines.join(" \\\n");
}
