import { describe, expect, it } from "vitest";
import { HooktapeError } from "../../src/core/errors.js";
import {
  applyBodyEdits,
  applyHeaderEdits,
  parseJsonPath,
  setJsonPath,
  tamperBody,
  tamperSignatureValue,
  unsetJsonPath,
} from "../../src/core/mutate.js";
import { parseSetFlag, toJsonText } from "../../src/cli/edit-flags.js";

// Odd spacing, a number spelled 1.50, an integer-like key and a 20-digit id: re-serialising would change all four.
const BODY = Buffer.from('{ "id":"evt_1",  "data": {"object": {"amount": 1.50, "2": "x", "big": 12345678901234567890,\n "items":[{"id":"a"},{"id":"b"}]}}}');

function expectOnlyChange(before: Buffer, after: Buffer, from: string, to: string): void {
  const text = before.toString();
  const at = text.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(after.toString()).toBe(text.slice(0, at) + to + text.slice(at + from.length));
}

function exitCodeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof HooktapeError ? error.exitCode : -1;
  }
  return undefined;
}

describe("JSON path edits splice the original bytes", () => {
  it("sets a nested value and leaves every other byte as captured", () => {
    expectOnlyChange(BODY, setJsonPath(BODY, "data.object.amount", "0"), "1.50", "0");
  });

  it("sets inside an array with items[0].id", () => {
    expectOnlyChange(BODY, setJsonPath(BODY, "data.object.items[1].id", '"z"'), '"b"', '"z"');
  });

  it("adds a missing key (and missing parents) after the last member", () => {
    const out = setJsonPath(Buffer.from('{"a":{"b":1}}'), "a.c.d", "true");
    expect(out.toString()).toBe('{"a":{"b":1,"c":{"d":true}}}');
    expect(setJsonPath(Buffer.from("{}"), "x", "1").toString()).toBe('{"x":1}');
    expect(setJsonPath(Buffer.from('{"l":[1]}'), "l[1]", "2").toString()).toBe('{"l":[1,2]}');
  });

  it("takes keys with dots when quoted in brackets", () => {
    expect(parseJsonPath('metadata["order.id"].x')).toEqual([
      { kind: "key", key: "metadata" },
      { kind: "key", key: "order.id" },
      { kind: "key", key: "x" },
    ]);
    const out = setJsonPath(Buffer.from('{"metadata":{"order.id":"1"}}'), 'metadata["order.id"]', '"2"');
    expect(JSON.parse(out.toString())).toEqual({ metadata: { "order.id": "2" } });
  });

  it("unsets the first, a middle and the last member with their commas", () => {
    const body = Buffer.from('{"a":1, "b":2, "c":3}');
    expect(unsetJsonPath(body, "a").toString()).toBe('{"b":2, "c":3}');
    expect(unsetJsonPath(body, "b").toString()).toBe('{"a":1, "c":3}');
    expect(unsetJsonPath(body, "c").toString()).toBe('{"a":1, "b":2}');
    expect(unsetJsonPath(Buffer.from('{"l":[1,2,3]}'), "l[2]").toString()).toBe('{"l":[1,2]}');
    expect(JSON.parse(unsetJsonPath(Buffer.from('{"only":1}'), "only").toString())).toEqual({});
  });

  it("rejects bad paths, missing paths and non-JSON bodies with exit 2 and an example", () => {
    expect(exitCodeOf(() => parseJsonPath("a..b"))).toBe(2);
    expect(exitCodeOf(() => parseJsonPath("a[x]"))).toBe(2);
    expect(exitCodeOf(() => unsetJsonPath(BODY, "data.nope"))).toBe(2);
    expect(exitCodeOf(() => setJsonPath(Buffer.from("not json"), "a", "1"))).toBe(2);
    expect(exitCodeOf(() => setJsonPath(BODY, "data.object.items[5]", "1"))).toBe(2);
    expect(() => parseSetFlag("amount")).toThrow(/expected path=value, e.g. --set data.object.amount=500/);
  });

  it("keeps a --set value's JSON spelling and takes a bare word as a string", () => {
    expect(toJsonText("12345678901234567890")).toBe("12345678901234567890");
    expect(toJsonText("eur")).toBe('"eur"');
    expect(parseSetFlag('metadata["a=b"]=1')).toEqual({ path: 'metadata["a=b"]', value: "1" });
  });
});

describe("headers and tampering", () => {
  it("sets in place, appends new names, drops every copy, and keeps the order of the rest", () => {
    const out = applyHeaderEdits(
      [["Content-Type", "application/json"], ["X-A", "1"], ["x-a", "2"], ["X-B", "3"]],
      [{ op: "set", name: "x-a", value: "9" }, { op: "set", name: "X-Debug", value: "1" }, { op: "drop", name: "x-b" }],
    );
    expect(out).toEqual([["Content-Type", "application/json"], ["X-A", "9"], ["X-Debug", "1"]]);
  });

  it("changes exactly one character of the signature itself, not the timestamp", () => {
    const value = "t=1700000000,v1=" + "ab".repeat(32);
    const out = tamperSignatureValue(value);
    expect(out.startsWith("t=1700000000,v1=")).toBe(true);
    expect(out).toHaveLength(value.length);
    expect([...out].filter((c, i) => c !== value[i])).toHaveLength(1);
    expect(out.slice(16)).toMatch(/^[0-9a-f]+$/);
  });

  it("changes one byte of a JSON body and keeps it valid JSON", () => {
    const out = tamperBody(BODY);
    expect(out).toHaveLength(BODY.length);
    expect([...out].filter((b, i) => b !== BODY[i])).toHaveLength(1);
    expect(() => JSON.parse(out.toString())).not.toThrow();
  });
});

describe("--set on a path that is not there, and bodies of any shape", () => {
  // As Stripe sends it: two-space indentation, "key": value, a non-ASCII character and a slash.
  const PRETTY = Buffer.from('{\n  "id": "evt_1",\n  "data": {\n    "object": {\n      "amount": 500,\n      "note": "café / thé"\n    }\n  }\n}');

  it("refuses a path that does not exist (a typo) with exit 2 naming it, unless create is asked for", () => {
    expect(() => applyBodyEdits(PRETTY, [{ op: "set", path: "data.objet.amount", value: "0" }])).toThrow(
      'Invalid --set "data.objet.amount": there is no data.objet in the body (a typo?); add --create to add it',
    );
    expect(exitCodeOf(() => applyBodyEdits(PRETTY, [{ op: "set", path: "data.object.amont", value: "0" }]))).toBe(2);
    expect(exitCodeOf(() => applyBodyEdits(Buffer.from('{"l":[1]}'), [{ op: "set", path: "l[1]", value: "2" }]))).toBe(2);
    // An existing path needs no --create.
    expect(JSON.parse(applyBodyEdits(PRETTY, [{ op: "set", path: "data.object.amount", value: "0" }]).toString()).data.object.amount).toBe(0);
  });

  it("adds a member in the body's own layout: its line break, indentation and ': '", () => {
    const out = applyBodyEdits(PRETTY, [{ op: "set", path: "data.object.currency", value: '"eur"', create: true }]).toString();
    expect(out).toBe('{\n  "id": "evt_1",\n  "data": {\n    "object": {\n      "amount": 500,\n      "note": "café / thé",\n      "currency": "eur"\n    }\n  }\n}');
    const single = applyBodyEdits(Buffer.from('{\n  "a": 1\n}'), [{ op: "set", path: "b", value: "2", create: true }]).toString();
    expect(single).toBe('{\n  "a": 1,\n  "b": 2\n}');
    const nested = applyBodyEdits(Buffer.from('{\n  "a": 1\n}'), [{ op: "set", path: "m.k", value: "2", create: true }]).toString();
    expect(JSON.parse(nested)).toEqual({ a: 1, m: { k: 2 } });
    expect(nested.startsWith('{\n  "a": 1,\n  "m": {"k": 2}')).toBe(true);
  });

  it("takes numbers of any length (JSON allows them) and keeps their digits", () => {
    const long = "9".repeat(1000);
    const body = Buffer.from(`{"id":${long},"amount":1}`);
    expect(setJsonPath(body, "amount", "2").toString()).toBe(`{"id":${long},"amount":2}`);
  });

  it("edits bodies nested deeper than a recursive parser's stack, instead of calling them unparsable", () => {
    const depth = 20_000;
    const body = Buffer.from(`{"a":${"[".repeat(depth)}1${"]".repeat(depth)},"b":1}`);
    expect(setJsonPath(body, "b", "2").toString()).toBe(`{"a":${"[".repeat(depth)}1${"]".repeat(depth)},"b":2}`);
    const tampered = tamperBody(Buffer.from(`{"a":${"[".repeat(depth)}"xyz"${"]".repeat(depth)}}`));
    expect(tampered.toString()).toContain('"xzz"'); // one byte of the last string changed
  });
});
