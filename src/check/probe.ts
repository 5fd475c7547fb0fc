import { isDeepStrictEqual } from "node:util";
import type { Dispatcher } from "undici";
import { deliver } from "../forward/index.js";

/** What `--probe <url>` answered: the handler's own account of what it has processed, as JSON. */
export type ProbeReading = { value: unknown } | { error: string };

export async function readProbe(url: string, timeoutMs: number, dispatcher: Dispatcher): Promise<ProbeReading> {
  const response = await deliver({ method: "GET", url, headers: [["Accept", "application/json"]], body: Buffer.alloc(0) }, { timeoutMs, dispatcher });
  if (response.status === null) return { error: response.errorMessage ?? "no answer" };
  if (response.status < 200 || response.status >= 300) return { error: `it answered ${response.status}` };
  try {
    return { value: JSON.parse(response.responseBody.toString("utf8")) as unknown };
  } catch {
    return { error: "it did not answer JSON" };
  }
}

/**
 * How the probe changed between two readings, as the countable parts of it: every number that moved (by how
 * much) and every array that grew or shrank (by how many items). `{"processed": 2, "ids": [..2]}` →
 * `{"processed": 3, "ids": [..3]}` is `{processed: +1, ids[]: +1}`. Strings that changed are not countable
 * and are left out.
 */
export type StateChange = ReadonlyMap<string, number>;

export function stateChange(before: unknown, after: unknown): StateChange {
  const change = new Map<string, number>();
  // An explicit stack: a probe is the handler's JSON, and may be deep.
  const stack: Array<[unknown, unknown, string]> = [[before, after, "$"]];
  while (stack.length > 0) {
    const [a, b, path] = stack.pop() as [unknown, unknown, string];
    if (typeof a === "number" || typeof b === "number") {
      const delta = (typeof b === "number" ? b : 0) - (typeof a === "number" ? a : 0);
      if (delta !== 0 && Number.isFinite(delta)) change.set(path, delta);
    } else if (Array.isArray(a) || Array.isArray(b)) {
      const delta = (Array.isArray(b) ? b.length : 0) - (Array.isArray(a) ? a.length : 0);
      if (delta !== 0) change.set(`${path}[]`, delta);
    } else if (isObject(a) || isObject(b)) {
      const left = isObject(a) ? a : {};
      const right = isObject(b) ? b : {};
      for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) stack.push([left[key], right[key], `${path}.${key}`]);
    }
  }
  return change;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * How many events' worth of change `change` is, measured in `unit` (the change one new event made): 1 when a
 * burst of copies was processed once, 5 when every copy was processed. null when the two don't scale alike
 * (then the probe moved in a way hooktape can't count).
 */
export function timesProcessed(change: StateChange, unit: StateChange): number | null {
  let times: number | null = null;
  for (const [path, delta] of unit) {
    const ratio = (change.get(path) ?? 0) / delta;
    if (times === null) times = ratio;
    else if (Math.abs(times - ratio) > 1e-9) return null;
  }
  for (const path of change.keys()) if (!unit.has(path)) return null;
  return times === null ? null : Math.round(times * 1000) / 1000;
}

export function sameState(a: ProbeReading, b: ProbeReading): boolean {
  return "value" in a && "value" in b && isDeepStrictEqual(a.value, b.value);
}

export function previewState(reading: ProbeReading): string {
  if ("error" in reading) return `(${reading.error})`;
  const text = JSON.stringify(reading.value);
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}

export function probeValue(reading: ProbeReading | null): unknown {
  return reading !== null && "value" in reading ? reading.value : undefined;
}
