import { describe, expect, it } from "vitest";
import { indexOutsideQuotes } from "../../src/core/mutate.js";

describe("indexOutsideQuotes", () => {
  it("finds the first character outside double quotes", () => {
    expect(indexOutsideQuotes("amount=500", "=")).toBe(6);
    expect(indexOutsideQuotes('metadata["a=b"]=1', "=")).toBe(15);
  });

  it("skips an escaped quote inside a string", () => {
    expect(indexOutsideQuotes('["a\\"]"]', "]")).toBe(7);
  });

  it("starts at `from`", () => {
    expect(indexOutsideQuotes('a]["b]"]', "]", 2)).toBe(7);
  });

  it("is -1 when the character stands only inside quotes, or not at all", () => {
    expect(indexOutsideQuotes('["a]', "]", 1)).toBe(-1);
    expect(indexOutsideQuotes("amount", "=")).toBe(-1);
  });
});
