import { badInput } from "./errors.js";
import type { VerificationStatus } from "./types.js";
import { parseInteger, parseSince } from "./units.js";

export type StatusFilter =
  | { kind: "code"; code: number }
  | { kind: "class"; hundreds: 1 | 2 | 3 | 4 | 5 }
  | { kind: "failed" };

/** Which events `events list` and `replay` select; every field is optional. */
export interface EventFilter {
  /** 0 means no limit. */
  limit: number;
  provider?: string | undefined;
  /** `*` within a path segment, `**` across segments. */
  pathGlob?: string | undefined;
  /** An event-type glob: `*` any run of characters, `?` one (`invoice.*`, `orders/*`). */
  typeGlob?: string | undefined;
  verification?: VerificationStatus | undefined;
  status?: StatusFilter | undefined;
  /** Unix milliseconds. */
  since?: number | undefined;
}

/** The filter flags as commander hands them over. */
export interface EventFilterFlags {
  limit?: string | undefined;
  provider?: string | undefined;
  path?: string | undefined;
  type?: string | undefined;
  verification?: string | undefined;
  status?: string | undefined;
  since?: string | undefined;
}

const VERIFICATIONS: Record<string, VerificationStatus> = {
  valid: "valid",
  invalid: "invalid",
  missing: "missing",
  unverified: "unverified",
  // `--verification unknown` is the word people type for what the JSON calls `unverified`: both mean one state.
  unknown: "unverified",
};

export function parseEventFilter(flags: EventFilterFlags, now: number, defaultLimit: number): EventFilter {
  const filter: EventFilter = { limit: flags.limit === undefined ? defaultLimit : parseInteger(flags.limit, "--limit", 0) };
  if (flags.provider !== undefined) filter.provider = flags.provider.trim().toLowerCase();
  if (flags.path !== undefined) {
    if (!flags.path.startsWith("/") && !flags.path.startsWith("*")) {
      throw badInput(`Invalid --path "${flags.path}": expected a path glob such as /webhooks/* or /**/stripe`);
    }
    filter.pathGlob = flags.path;
  }
  if (flags.type !== undefined) filter.typeGlob = parseTypeGlob(flags.type, "--type");
  if (flags.verification !== undefined) {
    const verification = VERIFICATIONS[flags.verification.trim().toLowerCase()];
    if (!verification) {
      throw badInput(`Invalid --verification "${flags.verification}": expected valid, invalid, missing or unverified`);
    }
    filter.verification = verification;
  }
  if (flags.status !== undefined) filter.status = parseStatusFilter(flags.status);
  if (flags.since !== undefined) filter.since = parseSince(flags.since, "--since", now);
  return filter;
}

function parseStatusFilter(text: string): StatusFilter {
  const value = text.trim().toLowerCase();
  if (value === "failed") return { kind: "failed" };
  const hundreds = /^([1-5])xx$/.exec(value);
  if (hundreds) return { kind: "class", hundreds: Number(hundreds[1]) as 1 | 2 | 3 | 4 | 5 };
  if (/^[1-5]\d\d$/.test(value)) return { kind: "code", code: Number(value) };
  throw badInput(`Invalid --status "${text}": expected a status code (404), a class (2xx, 4xx, 5xx) or failed`);
}

/** An event-type glob as given (`invoice.*`); exit 2 for an empty one or one with control characters. */
export function parseTypeGlob(text: string, flag: string): string {
  const glob = text.trim();
  if (glob === "" || glob.length > 200 || /[\u0000-\u001f\u007f]/.test(glob)) {
    throw badInput(`Invalid ${flag} "${text}": expected an event type or a glob, e.g. ${flag} invoice.paid or ${flag} 'customer.subscription.*'`);
  }
  return glob;
}

/** The literal characters before a type glob's first wildcard, and whether it has none (an exact type). */
export function globPrefix(glob: string): { prefix: string; exact: boolean } {
  const at = glob.search(/[*?]/);
  return at === -1 ? { prefix: glob, exact: true } : { prefix: glob.slice(0, at), exact: false };
}

/** A compiled event-type glob. */
export interface TypeMatcher {
  test(type: string | null): boolean;
}

/**
 * An event-type glob (`*` any run of characters, `/` and `.` included; `?` one character), as `--type` reads it in
 * SQLite (GLOB): `invoice.*`, `*.created`, `orders/*`. Case matters, as in the providers' names. Matched by the
 * two-pointer wildcard walk (O(type × glob), no backtracking blow-up); an event without a type matches nothing.
 */
export function compileTypeGlob(glob: string): TypeMatcher {
  return {
    test(type: string | null): boolean {
      if (type === null) return false;
      let t = 0;
      let g = 0;
      let star = -1;
      let resume = 0;
      while (t < type.length) {
        const c = glob[g];
        if (c === "*") {
          star = g++;
          resume = t;
        } else if (c !== undefined && (c === "?" || c === type[t])) {
          g++;
          t++;
        } else if (star !== -1) {
          g = star + 1;
          t = ++resume;
        } else return false;
      }
      while (glob[g] === "*") g++;
      return g === glob.length;
    },
  };
}

/** A compiled `--path` glob. */
export interface PathMatcher {
  test(path: string): boolean;
}

type GlobToken =
  | { kind: "char"; char: string }
  /** `?`: one character within a segment. */
  | { kind: "one" }
  /** `*`: any run within a segment. */
  | { kind: "segment" }
  /** `**`: any run, across segments. */
  | { kind: "any" }
  /** `**\/`: nothing, or any run that ends with `/` (so `/a/**\/b` matches `/a/b`). */
  | { kind: "dirs" };

/**
 * A path glob (`*` within a segment, `**` across, `?` one character; the query is ignored by the caller), compiled
 * once per query. Matching simulates all positions of the pattern at once (a Thompson NFA), so it takes
 * O(path × pattern) steps whatever the pattern: a backtracking RegExp takes exponential time on `/*a*a*a*a*b`.
 */
export function compilePathGlob(glob: string): PathMatcher {
  const tokens = collapse(tokenize(glob));
  const m = tokens.length;
  // States 0..m: "before token i"; m + 1 + i: inside token i's `**\/` (some characters read, no `/` yet at the end).
  const size = 2 * m + 2;
  const add = (set: Uint8Array, list: number[], state: number) => {
    // Epsilon moves: the repeating tokens may match nothing.
    while (state <= m && set[state] === 0) {
      set[state] = 1;
      list.push(state);
      const token = tokens[state];
      if (token === undefined || token.kind === "char" || token.kind === "one") return;
      state++;
    }
    if (state > m && set[state] === 0) {
      set[state] = 1;
      list.push(state);
    }
  };
  return {
    test(path: string): boolean {
      let current: number[] = [];
      let seen = new Uint8Array(size);
      add(seen, current, 0);
      for (let p = 0; p < path.length && current.length > 0; p++) {
        const ch = path[p] as string;
        const next: number[] = [];
        const marks = new Uint8Array(size);
        for (const state of current) {
          if (state > m) {
            const i = state - m - 1;
            add(marks, next, state);
            if (ch === "/") add(marks, next, i + 1);
            continue;
          }
          const token = tokens[state];
          if (token === undefined) continue;
          switch (token.kind) {
            case "char":
              if (token.char === ch) add(marks, next, state + 1);
              break;
            case "one":
              if (ch !== "/") add(marks, next, state + 1);
              break;
            case "segment":
              if (ch !== "/") add(marks, next, state);
              break;
            case "any":
              add(marks, next, state);
              break;
            case "dirs":
              add(marks, next, m + 1 + state);
              if (ch === "/") add(marks, next, state + 1);
              break;
          }
        }
        current = next;
        seen = marks;
      }
      return seen[m] === 1;
    },
  };
}

function tokenize(glob: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === "*" && glob[i + 1] === "*") {
      let j = i;
      while (glob[j] === "*") j++;
      if (glob[j] === "/") {
        tokens.push({ kind: "dirs" });
        i = j;
      } else {
        tokens.push({ kind: "any" });
        i = j - 1;
      }
    } else if (char === "*") {
      tokens.push({ kind: "segment" });
    } else if (char === "?") {
      tokens.push({ kind: "one" });
    } else {
      tokens.push({ kind: "char", char });
    }
  }
  return tokens;
}

/** Runs of repeating tokens collapse: `*` after `**` adds nothing, `**\/**\/` is `**\/`. */
function collapse(tokens: GlobToken[]): GlobToken[] {
  const out: GlobToken[] = [];
  for (const token of tokens) {
    const last = out[out.length - 1];
    if (last && token.kind !== "char" && token.kind !== "one" && last.kind !== "char" && last.kind !== "one") {
      if (last.kind === token.kind) continue;
      if (last.kind === "any" || token.kind === "any") {
        out[out.length - 1] = { kind: "any" };
        continue;
      }
    }
    out.push(token);
  }
  return out;
}
