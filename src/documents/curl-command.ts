import type { HeaderPairs } from "../core/types.js";

/** POSIX single quoting: everything literal, `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command that sends exactly these bytes. Text bodies go in `--data-binary '<body>'`; bodies that are not
 * printable UTF-8 are piped through `base64 -d` so that no byte changes on the way.
 */
export function formatCurl(request: { method: string; url: string; headers: HeaderPairs; body: Buffer }): string {
  const text = request.body.toString("utf8");
  const printable = Buffer.from(text, "utf8").equals(request.body) && !/[\0-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text);
  const lines = [`curl -sS -X ${request.method} ${shellQuote(request.url)}`];
  for (const [name, value] of request.headers) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body.length === 0) return lines.join(" \\\n");
  if (printable) {
    lines.push(`  --data-binary ${shellQuote(text)}`);
    return lines.join(" \\\n");
  }
  lines.push("  --data-binary @-");
  return `printf %s ${shellQuote(request.body.toString("base64"))} | base64 -d | ` + lines.join(" \\\n");
}
