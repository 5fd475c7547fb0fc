import { badInput } from "./errors.js";
import { dropHeader, setHeader } from "./headers.js";
import type { HeaderPairs } from "./types.js";
import { utf8TextOf } from "./body.js";

/**
 * Pure edits of a captured request: bytes + edits -> bytes. JSON edits splice the original text, so every
 * byte outside the edited value stays as the sender wrote it (key order, whitespace, number spelling, escapes):
 * re-serialising with JSON.stringify would turn `1.50` into `1.5`, reorder integer-like keys and lose digits of
 * large ids, which is exactly what breaks signatures downstream.
 *
 * Path syntax (documented in `hooktape replay --help`):
 *   data.object.amount      object keys separated by dots
 *   items[0].id             array index in brackets
 *   metadata["order.id"]    a key containing dots or brackets, quoted inside brackets (JSON string syntax)
 */
export type PathSegment = { kind: "key"; key: string } | { kind: "index"; index: number };

/** `create`: add the path when it is not in the body (`--create`); otherwise a missing path is bad input. */
export type BodyEdit = { op: "set"; path: string; value: string; create?: boolean } | { op: "unset"; path: string };

export type HeaderEdit = { op: "set"; name: string; value: string } | { op: "drop"; name: string };

/** Parses `data.object.amount`, `items[0].id`, `metadata["order.id"]`; bad input names the flag. */
export function parseJsonPath(path: string, flag = "--set"): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw badInput(`Invalid ${flag} path "${path}": ${why}; e.g. data.object.amount, items[0].id or metadata["order.id"]`);
  };
  if (path.length === 0) fail("it is empty");
  let expectKey = true;
  while (i < path.length) {
    const char = path[i];
    if (char === "[") {
      const close = indexOutsideQuotes(path, "]", i + 1);
      if (close === -1) fail("a [ is not closed");
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) segments.push({ kind: "index", index: Number(inner) });
      else if (inner.startsWith('"')) {
        let key: unknown;
        try {
          key = JSON.parse(inner);
        } catch {
          key = undefined;
        }
        if (typeof key !== "string") fail(`${inner} is not a quoted key`);
        segments.push({ kind: "key", key: key as string });
      } else fail(`[${inner}] is neither an index nor a quoted key`);
      i = close + 1;
      expectKey = false;
      continue;
    }
    if (char === ".") {
      if (expectKey) fail("a dot has no key before it");
      i++;
      expectKey = true;
      if (i >= path.length) fail("it ends with a dot");
      continue;
    }
    if (!expectKey) fail(`expected . or [ at character ${i + 1}`);
    let end = i;
    while (end < path.length && path[end] !== "." && path[end] !== "[") end++;
    segments.push({ kind: "key", key: path.slice(i, end) });
    i = end;
    expectKey = false;
  }
  return segments;
}

/**
 * The index of the first `char` at or after `from` that stands outside a double-quoted string (backslash escapes
 * inside one), or -1: the `]` that closes `["a.]b"]`, the `=` of `metadata["a=b"]=1`.
 */
export function indexOutsideQuotes(text: string, char: string, from = 0): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const current = text[i];
    if (inString) {
      if (current === "\\") i++;
      else if (current === '"') inString = false;
    } else if (current === '"') inString = true;
    else if (current === char) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------------
// A small JSON scanner that keeps the source span of every value, so that edits can splice the text.

interface Span {
  start: number;
  end: number;
}

type JsonMember = { key: string; memberStart: number; keyEnd: number; value: JsonNode };

type JsonNode =
  | (Span & { type: "object"; members: JsonMember[] })
  | (Span & { type: "array"; items: JsonNode[] })
  | (Span & { type: "string"; value: string })
  | (Span & { type: "scalar" });

type ObjectNode = JsonNode & { type: "object" };
type ArrayNode = JsonNode & { type: "array" };

/** A number of any length (a 500-digit id is valid JSON), or a literal; sticky, so it matches where it is told. */
const SCALAR_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** An open object (with the key its next value belongs to) or array, on the scanner's explicit stack. */
type Frame = { node: ObjectNode; key: string; memberStart: number; keyEnd: number } | { node: ArrayNode };

/**
 * Scans with an explicit stack instead of recursion, so that a deeply nested body (as deep as JSON.parse takes)
 * is read, not reported as "does not parse" after a stack overflow.
 */
class JsonScanner {
  private i = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonNode {
    this.skipSpace();
    const node = this.parseValue();
    this.skipSpace();
    if (this.i !== this.text.length) throw new SyntaxError(`unexpected text at character ${this.i + 1}`);
    return node;
  }

  private skipSpace(): void {
    while (this.i < this.text.length && " \t\n\r".includes(this.text[this.i] ?? "")) this.i++;
  }

  private parseValue(): JsonNode {
    const stack: Frame[] = [];
    for (;;) {
      // Start a value at this.i: a container opens a frame (unless empty), anything else is complete at once.
      let value: JsonNode;
      const start = this.i;
      const char = this.text[this.i];
      if (char === "{" || char === "[") {
        this.i++;
        this.skipSpace();
        const node: ObjectNode | ArrayNode = char === "{" ? { type: "object", start, end: -1, members: [] } : { type: "array", start, end: -1, items: [] };
        if (this.text[this.i] === (char === "{" ? "}" : "]")) {
          this.i++;
          node.end = this.i;
          value = node;
        } else {
          stack.push(node.type === "object" ? { node, ...this.parseKey() } : { node });
          continue;
        }
      } else if (char === '"') {
        value = this.parseString();
      } else {
        SCALAR_RE.lastIndex = start;
        const match = SCALAR_RE.exec(this.text);
        if (!match) throw new SyntaxError(`unexpected character at ${start + 1}`);
        this.i += match[0].length;
        value = { type: "scalar", start, end: this.i };
      }
      // A value is complete: hand it to the open container, closing containers that end here.
      for (;;) {
        const frame = stack.at(-1);
        if (frame === undefined) return value;
        this.skipSpace();
        const next = this.text[this.i];
        this.i++;
        if (frame.node.type === "object") {
          const objectFrame = frame as Extract<Frame, { key: string }>;
          objectFrame.node.members.push({ key: objectFrame.key, memberStart: objectFrame.memberStart, keyEnd: objectFrame.keyEnd, value });
          if (next === ",") {
            Object.assign(objectFrame, this.parseKey());
            break;
          }
          if (next !== "}") throw new SyntaxError(`expected , or } at ${this.i}`);
        } else {
          frame.node.items.push(value);
          if (next === ",") {
            this.skipSpace();
            break;
          }
          if (next !== "]") throw new SyntaxError(`expected , or ] at ${this.i}`);
        }
        frame.node.end = this.i;
        value = frame.node;
        stack.pop();
      }
    }
  }

  /** `"key" :` and the space after it; leaves this.i at the member's value. */
  private parseKey(): { key: string; memberStart: number; keyEnd: number } {
    this.skipSpace();
    const memberStart = this.i;
    if (this.text[this.i] !== '"') throw new SyntaxError(`expected a key at ${this.i + 1}`);
    const key = this.parseString().value;
    const keyEnd = this.i;
    this.skipSpace();
    if (this.text[this.i] !== ":") throw new SyntaxError(`expected : at ${this.i + 1}`);
    this.i++;
    this.skipSpace();
    return { key, memberStart, keyEnd };
  }

  private parseString(): JsonNode & { type: "string" } {
    const start = this.i;
    this.i++;
    while (this.i < this.text.length) {
      const char = this.text[this.i];
      if (char === "\\") this.i += 2;
      else if (char === '"') {
        this.i++;
        const raw = this.text.slice(start, this.i);
        return { type: "string", start, end: this.i, value: JSON.parse(raw) as string };
      } else this.i++;
    }
    throw new SyntaxError("a string is not closed");
  }
}

/** Every string value in a document, in source order, without recursion. */
function stringsOf(root: JsonNode): Array<JsonNode & { type: "string" }> {
  const out: Array<JsonNode & { type: "string" }> = [];
  const pending: JsonNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as JsonNode;
    if (node.type === "string") out.push(node);
    else if (node.type === "object") for (let k = node.members.length - 1; k >= 0; k--) pending.push((node.members[k] as JsonMember).value);
    else if (node.type === "array") for (let k = node.items.length - 1; k >= 0; k--) pending.push(node.items[k] as JsonNode);
  }
  return out;
}

function parseBodyJson(body: Buffer, flag: string): { text: string; root: JsonNode } {
  const text = utf8TextOf(body);
  if (text === null) throw badInput(`${flag} needs a JSON body; this body is binary`);
  try {
    return { text, root: new JsonScanner(text).parseDocument() };
  } catch (error) {
    throw badInput(`${flag} needs a JSON body; this one does not parse (${(error as Error).message})`);
  }
}

function describePath(segments: readonly PathSegment[], upTo: number): string {
  return segments
    .slice(0, upTo)
    .map((s, i) => (s.kind === "index" ? `[${s.index}]` : /^[^.[\]"]+$/.test(s.key) ? (i === 0 ? s.key : `.${s.key}`) : `[${JSON.stringify(s.key)}]`))
    .join("");
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** The JSON text for the missing tail of a path (`a.b` under an object that lacks `a` -> `{"b":value}`). */
function buildMissing(segments: readonly PathSegment[], valueText: string, path: string, colon: string): string {
  let text = valueText;
  for (let k = segments.length - 1; k >= 0; k--) {
    const segment = segments[k] as PathSegment;
    if (segment.kind === "index") {
      if (segment.index !== 0) throw badInput(`Invalid --set "${path}": the array at ${describePath(segments, k)} does not exist; only [0] can create it`);
      text = `[${text}]`;
    } else text = `{${JSON.stringify(segment.key)}${colon}${text}}`;
  }
  return text;
}

export interface SetOptions {
  /**
   * Add what the path names when it is not in the body (`--create`). Off, a path that is not there is bad input:
   * a typo (`data.objet.amount`) must not "succeed" by adding a key the handler never reads. Default true for
   * programmatic callers that build their own paths.
   */
  create?: boolean;
}

/**
 * Sets the value at `path` and returns the new body; the rest is untouched. A member added with `create` follows
 * the body's own layout: the line break and indentation before the object's last member, and its `: ` spacing.
 */
export function setJsonPath(body: Buffer, path: string, valueText: string, options: SetOptions = {}): Buffer {
  const create = options.create ?? true;
  const segments = parseJsonPath(path, "--set");
  const { text, root } = parseBodyJson(body, "--set");
  const missing = (k: number): never => {
    throw badInput(`Invalid --set "${path}": there is no ${describePath(segments, k + 1)} in the body (a typo?); add --create to add it`);
  };
  let node: JsonNode = root;
  for (let k = 0; k < segments.length; k++) {
    const segment = segments[k] as PathSegment;
    const rest = segments.slice(k + 1);
    if (segment.kind === "key") {
      if (node.type !== "object") throw badInput(`Invalid --set "${path}": ${describePath(segments, k) || "the body"} is not an object`);
      const member = node.members.findLast((m) => m.key === segment.key);
      if (member === undefined) {
        if (!create) missing(k);
        const layout = objectLayout(text, node);
        const insert = `${JSON.stringify(segment.key)}${layout.colon}${buildMissing(rest, valueText, path, layout.colon)}`;
        const last = node.members.at(-1);
        const out = last === undefined ? splice(text, node.end - 1, node.end - 1, insert) : splice(text, last.value.end, last.value.end, `,${layout.before}${insert}`);
        return Buffer.from(out, "utf8");
      }
      node = member.value;
    } else {
      if (node.type !== "array") throw badInput(`Invalid --set "${path}": ${describePath(segments, k) || "the body"} is not an array`);
      const item = node.items[segment.index];
      if (item === undefined) {
        if (segment.index !== node.items.length) {
          throw badInput(`Invalid --set "${path}": ${describePath(segments, k)} has ${node.items.length} items; index ${segment.index} would leave a gap`);
        }
        if (!create) missing(k);
        const last = node.items.at(-1);
        const colon = objectLayout(text, root.type === "object" ? root : null).colon;
        const insert = buildMissing(rest, valueText, path, colon);
        const out = last === undefined ? splice(text, node.end - 1, node.end - 1, insert) : splice(text, last.end, last.end, `,${spaceBefore(text, node.items.length >= 2 ? (node.items.at(-2) as JsonNode).end : node.start + 1, last.start)}${insert}`);
        return Buffer.from(out, "utf8");
      }
      node = item;
    }
  }
  return Buffer.from(splice(text, node.start, node.end, valueText), "utf8");
}

/** The whitespace before the value at `start`, after the comma (or bracket) at or after `from`. */
function spaceBefore(text: string, from: number, start: number): string {
  const between = text.slice(from, start);
  const comma = between.lastIndexOf(",");
  return comma === -1 ? between : between.slice(comma + 1);
}

/** How an object lays out its members: what comes before the last one (`\n    `) and between key and value (`: `). */
function objectLayout(text: string, node: ObjectNode | null): { before: string; colon: string } {
  const last = node?.members.at(-1);
  if (node === null || last === undefined) return { before: "", colon: ":" };
  const previous = node.members.at(-2);
  const before = spaceBefore(text, previous === undefined ? node.start + 1 : previous.value.end, last.memberStart);
  return { before, colon: text.slice(last.keyEnd, last.value.start) };
}

/** Removes the value at `path` (with its key and one comma); a path that does not exist is bad input. */
export function unsetJsonPath(body: Buffer, path: string): Buffer {
  const segments = parseJsonPath(path, "--unset");
  const { text, root } = parseBodyJson(body, "--unset");
  let node: JsonNode = root;
  for (let k = 0; k < segments.length; k++) {
    const segment = segments[k] as PathSegment;
    const isLast = k === segments.length - 1;
    let spans: Span[];
    let at: number;
    if (segment.kind === "key") {
      if (node.type !== "object") throw badInput(`Invalid --unset "${path}": ${describePath(segments, k) || "the body"} is not an object`);
      at = node.members.findLastIndex((m) => m.key === segment.key);
      if (at === -1) throw badInput(`Invalid --unset "${path}": there is no ${describePath(segments, k + 1)} in the body`);
      spans = node.members.map((m) => ({ start: m.memberStart, end: m.value.end }));
      if (!isLast) {
        node = (node.members[at] as { value: JsonNode }).value;
        continue;
      }
    } else {
      if (node.type !== "array") throw badInput(`Invalid --unset "${path}": ${describePath(segments, k) || "the body"} is not an array`);
      at = segment.index;
      if (node.items[at] === undefined) throw badInput(`Invalid --unset "${path}": there is no ${describePath(segments, k + 1)} in the body`);
      spans = node.items.map((item) => ({ start: item.start, end: item.end }));
      if (!isLast) {
        node = node.items[at] as JsonNode;
        continue;
      }
    }
    // Remove the member and the comma that joins it to a neighbour: the one after it, or before it when last.
    const own = spans[at] as Span;
    const next = spans[at + 1];
    const previous = spans[at - 1];
    if (next !== undefined) return Buffer.from(splice(text, own.start, next.start, ""), "utf8");
    if (previous !== undefined) return Buffer.from(splice(text, previous.end, own.end, ""), "utf8");
    return Buffer.from(splice(text, own.start, own.end, ""), "utf8");
  }
  throw badInput(`Invalid --unset "${path}": the whole body cannot be removed`);
}

/** Applies `--set` and `--unset` edits in the order given. */
export function applyBodyEdits(body: Buffer, edits: readonly BodyEdit[]): Buffer {
  let out = body;
  for (const edit of edits) {
    out = edit.op === "set" ? setJsonPath(out, edit.path, edit.value, { create: edit.create ?? false }) : unsetJsonPath(out, edit.path);
  }
  return out;
}

export function applyHeaderEdits(headers: HeaderPairs, edits: readonly HeaderEdit[]): HeaderPairs {
  let out = headers;
  for (const edit of edits) out = edit.op === "set" ? setHeader(out, edit.name, edit.value) : dropHeader(out, edit.name);
  return out;
}

/** A different character of the same kind (digit, hex letter, letter), so the value keeps its shape. */
function alterChar(char: string): string {
  if (/[0-9]/.test(char)) return String((Number(char) + 1) % 10);
  if (/[a-f]/.test(char)) return char === "f" ? "a" : String.fromCharCode(char.charCodeAt(0) + 1);
  if (/[A-F]/.test(char)) return char === "F" ? "A" : String.fromCharCode(char.charCodeAt(0) + 1);
  if (/[g-z]/.test(char)) return char === "z" ? "g" : String.fromCharCode(char.charCodeAt(0) + 1);
  if (/[G-Z]/.test(char)) return char === "Z" ? "G" : String.fromCharCode(char.charCodeAt(0) + 1);
  return char === "+" ? "/" : "+";
}

/**
 * A signature value with one character of the signature itself changed: the middle character of the longest
 * run of hex/base64 characters (`t=…,v1=<hex>`, `v1,<base64>`, `sha256=<hex>`). The middle, not the end, because
 * the last base64 character may carry only padding bits that decoders ignore; same case, because hex decoders
 * ignore case.
 */
export function tamperSignatureValue(value: string): string {
  let best = { start: 0, length: 0 };
  for (const match of value.matchAll(/[A-Za-z0-9+/_-]+/g)) {
    if (match[0].length > best.length) best = { start: match.index, length: match[0].length };
  }
  if (best.length === 0) return value + "0";
  const at = best.start + Math.floor(best.length / 2);
  return value.slice(0, at) + alterChar(value[at] ?? "0") + value.slice(at + 1);
}

/**
 * The body with one byte changed after it was signed. In a JSON body a letter or digit inside the last string
 * value is changed, so the body stays valid JSON and only its bytes differ from what was signed; otherwise the
 * middle byte is flipped.
 */
export function tamperBody(body: Buffer): Buffer {
  const text = utf8TextOf(body);
  if (text !== null) {
    try {
      const strings = stringsOf(new JsonScanner(text).parseDocument());
      for (const node of strings.reverse()) {
        const inner = text.slice(node.start + 1, node.end - 1);
        const positions = [...inner.matchAll(/[A-Za-z0-9]/g)].map((m) => m.index);
        const pick = positions[Math.floor(positions.length / 2)];
        if (pick === undefined) continue;
        const at = node.start + 1 + pick;
        return Buffer.from(text.slice(0, at) + alterChar(text[at] ?? "0") + text.slice(at + 1), "utf8");
      }
    } catch {
      // Not JSON: fall through to a byte flip.
    }
  }
  if (body.length === 0) return Buffer.from(" ");
  const copy = Buffer.from(body);
  const at = Math.floor(copy.length / 2);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}
