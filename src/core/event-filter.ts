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
  verification?: string | undefined;
  status?: string | undefined;
  since?: string | undefined;
}

const VERIFICATIONS: Record<string, VerificationStatus> = {
  valid: "valid",
  invalid: "invalid",
  missing: "missing",
  unverified: "unverified",
  // SPEC's flag list says `unknown` where its JSON says `unverified`: accept both words for the same state.
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

/** A path glob as a RegExp: `*` stays within a segment, `**` crosses segments; the query is ignored. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? "";
    if (char === "*" && glob[i + 1] === "*") {
      // `/**/` also matches a single `/`, so `/a/**/b` matches `/a/b`.
      if (glob[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (char === "*") {
      source += "[^/]*";
    } else if (char === "?") {
      source += "[^/]";
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}
