import { badInput } from "./errors.js";

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

function isDigit(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= 0x30 && code <= 0x39;
}

/**
 * `90s`, `10m`, `1h30m`, `2d`, `500ms` -> milliseconds. A bare number is refused: `--stale 10` could mean ten
 * seconds or ten minutes, and guessing wrong passes a check that should fail.
 */
export function parseDuration(text: string, flag: string, expected = "a duration such as 30s, 10m, 2h or 1d"): number {
  const trimmed = text.trim();
  const invalid = () => badInput(`Invalid ${flag} "${text}": expected ${expected}`);
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    throw badInput(`Invalid ${flag} "${text}": a number needs a unit (${trimmed}s? ${trimmed}m? ${trimmed}h?); expected ${expected}`);
  }
  // A scanner rather than a global regex: matchAll retries a long run of digits from every position (O(n²)).
  let total = 0;
  let i = 0;
  while (i < trimmed.length) {
    const start = i;
    while (i < trimmed.length && isDigit(trimmed, i)) i++;
    if (trimmed[i] === "." && isDigit(trimmed, i + 1)) {
      i++;
      while (i < trimmed.length && isDigit(trimmed, i)) i++;
    }
    if (i === start) throw invalid();
    const amount = Number(trimmed.slice(start, i));
    const unit = trimmed.startsWith("ms", i) ? "ms" : (trimmed[i] ?? "");
    const factor = DURATION_UNITS[unit];
    if (factor === undefined || unit === "") throw invalid();
    total += amount * factor;
    i += unit.length;
  }
  if (trimmed.length === 0) throw invalid();
  return total;
}

/** A duration (`1h`: that long ago) or an ISO time -> unix milliseconds. */
export function parseSince(text: string, flag: string, now: number): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    const time = Date.parse(text);
    if (Number.isNaN(time)) throw badInput(`Invalid ${flag} "${text}": expected a duration (1h) or an ISO time (2026-11-23T10:00:00Z)`);
    return time;
  }
  return now - parseDuration(text, flag, "a duration (30m, 2h, 1d) or an ISO time (2026-11-23T10:00:00Z)");
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Binary sizes: `1mb` = 1,048,576 bytes; a bare number is bytes. */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) throw badInput(`Invalid ${flag} "${text}": expected a size such as 512kb, 25mb or 1048576`);
  return Math.floor(Number(match[1]) * (SIZE_UNITS[(match[2] ?? "b").toLowerCase()] ?? 1));
}

/** A whole number within bounds, or exit 2 naming the flag. */
export function parseInteger(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text.trim())) throw badInput(`Invalid ${flag} "${text}": expected a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw badInput(`Invalid ${flag} "${text}": expected a number from ${min} to ${max}`);
  return value;
}

/**
 * A length of time as a person says it: `800 ms`, `1.5 s`, `28 s`, `5 minutes`, `3 hours`, `334 days` (whole
 * units rounded down from two minutes on).
 */
export function describeDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  if (abs < 10_000) return `${Math.floor(abs / 100) / 10} s`;
  const sec = Math.floor(abs / 1000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (sec < 120) return `${sec} s`;
  if (sec < 2 * 3600) return plural(Math.floor(sec / 60), "minute");
  if (sec < 2 * 86_400) return plural(Math.floor(sec / 3600), "hour");
  return plural(Math.floor(sec / 86_400), "day");
}

/** A size for people, binary units as parseSize reads them: `512 B`, `3.2 KiB`, `25.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
