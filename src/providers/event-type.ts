import { findHeader } from "../core/headers.js";
import type { HeaderPairs } from "../core/types.js";

/** What an event-type rule reads: the request's headers and body. */
export interface TypedRequest {
  headers: HeaderPairs;
  body: Buffer;
}

/**
 * The kind of event a delivery is (`invoice.paid`, `pull_request.opened`, `orders/create`), read from where the
 * provider names it; null when it names none. Never throws: a malformed body has no type.
 */
export type EventTypeRule = (request: TypedRequest) => string | null;

/** One piece of a type: a header, a JSON member, a form field. */
export type TypePart = (view: DeliveryView) => string | null;

/**
 * Bodies past this size are not parsed for their type (a 25 MB GitHub push would hold the capture's event loop
 * for a tenth of a second); parts read from headers still give one.
 */
export const MAX_TYPED_BODY_BYTES = 4 * 1024 * 1024;

/** A request read lazily, each form at most once: the rules of one provider share one JSON parse. */
export class DeliveryView {
  private parsedJson: unknown = NOT_READ;
  private parsedForm: URLSearchParams | null | typeof NOT_READ = NOT_READ;
  constructor(private readonly request: TypedRequest) {}

  header(name: string): string | null {
    const value = findHeader(this.request.headers, name)?.trim();
    return value === undefined || value === "" ? null : value;
  }

  json(): unknown {
    if (this.parsedJson === NOT_READ) this.parsedJson = parseJson(this.request.body);
    return this.parsedJson;
  }

  form(): URLSearchParams | null {
    if (this.parsedForm === NOT_READ) {
      const body = this.request.body;
      this.parsedForm = body.length === 0 || body.length > MAX_TYPED_BODY_BYTES || body[0] === 0x7b || body[0] === 0x5b ? null : new URLSearchParams(body.toString("utf8"));
    }
    return this.parsedForm;
  }
}

const NOT_READ = Symbol("not read");

function parseJson(body: Buffer): unknown {
  if (body.length === 0 || body.length > MAX_TYPED_BODY_BYTES) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** A header's value (`X-Shopify-Topic`). */
export function header(name: string): TypePart {
  return (view) => view.header(name);
}

/** A JSON member by path (`type`, `event.type`, `events[0].action`); strings, and numbers as their digits. */
export function json(path: string): TypePart {
  const steps = parsePath(path);
  return (view) => textAt(view.json(), steps);
}

/** A form field (Twilio's `MessageStatus`). */
export function form(field: string): TypePart {
  return (view) => {
    const value = view.form()?.get(field)?.trim();
    return value === undefined || value === "" ? null : value;
  };
}

/** A JSON member inside a form field that holds JSON (Slack's interactive `payload`, Mandrill's `mandrill_events`). */
export function formJson(field: string, path: string): TypePart {
  const steps = parsePath(path);
  return (view) => {
    const text = view.form()?.get(field);
    if (text === undefined || text === null) return null;
    try {
      return textAt(JSON.parse(text), steps);
    } catch {
      return null;
    }
  };
}

/** The first top-level JSON member whose name matches (X's account activity: `tweet_create_events`, ...). */
export function jsonKey(pattern: RegExp): TypePart {
  return (view) => {
    const value = view.json();
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    return Object.keys(value).find((key) => pattern.test(key)) ?? null;
  };
}

/** `part`'s value looked up in a table (Discord's numeric interaction types); unknown values stay as they are. */
export function named(part: TypePart, names: Readonly<Record<string, string>>): TypePart {
  return (view) => {
    const value = part(view);
    return value === null ? null : (names[value] ?? value);
  };
}

/** `first`, then each further part that is present, joined with `.` (GitHub: `pull_request` + `opened`). */
export function joined(first: TypePart, ...rest: TypePart[]): TypePart {
  return (view) => {
    const head = first(view);
    if (head === null) return null;
    let out = head;
    for (const part of rest) {
      const value = part(view);
      if (value !== null) out += `.${value}`;
    }
    return out;
  };
}

/** `part`'s value after a fixed name: `message` + Twilio's `MessageStatus` as `message.delivered`. */
export function prefixed(prefix: string, part: TypePart): TypePart {
  return (view) => {
    const value = part(view);
    return value === null ? null : `${prefix}.${value}`;
  };
}

/** Every part present, or nothing: `object_type` and `event_type` as `account.created`. */
export function both(first: TypePart, second: TypePart): TypePart {
  return (view) => {
    const a = first(view);
    const b = a === null ? null : second(view);
    return a === null || b === null ? null : `${a}.${b}`;
  };
}

/** The rule of a provider: the first alternative that gives a value. */
export function eventTypeFrom(...alternatives: TypePart[]): EventTypeRule {
  return (request) => {
    const view = new DeliveryView(request);
    for (const part of alternatives) {
      const value = part(view);
      if (value !== null) return value.length > MAX_TYPE_LENGTH ? value.slice(0, MAX_TYPE_LENGTH) : value;
    }
    return null;
  };
}

/** Types are names, not payloads: a longer value (a stranger's body) is cut. */
const MAX_TYPE_LENGTH = 200;

type Step = string | number;

/** `events[0].action` -> ["events", 0, "action"]. */
function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  for (const piece of path.split(".")) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(piece);
    if (match === null) throw new TypeError(`event type path: cannot read "${path}"`);
    if (match[1] !== "") steps.push(match[1] as string);
    for (const index of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

function textAt(root: unknown, steps: readonly Step[]): string | null {
  let value: unknown = root;
  for (const step of steps) {
    if (value === null || typeof value !== "object") return null;
    value = typeof step === "number" ? (Array.isArray(value) ? value[step] : undefined) : Array.isArray(value) ? undefined : (value as Record<string, unknown>)[step];
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** The type of a delivery of `provider` (null without a provider, or for one that names no events). */
export function eventTypeOf(provider: { eventType?: EventTypeRule } | null | undefined, request: TypedRequest): string | null {
  return provider?.eventType?.(request) ?? null;
}
