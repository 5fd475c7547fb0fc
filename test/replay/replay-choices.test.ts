import { describe, expect, it } from "vitest";
import { HooktapeError } from "../../src/core/errors.js";
import { parseHeaderLine } from "../../src/core/headers.js";
import { parseReplayRequest } from "../../src/inspector/replay-request.js";
import { parseExpectation } from "../../src/replay/index.js";

describe("one expectation rule for `replay --expect` and the inspector's `expect`", () => {
  it("by default any 2xx passes and nothing else, a missing answer included", () => {
    const expectation = parseExpectation(undefined, "--expect");
    expect(expectation.label).toBe("2xx");
    expect([200, 204, 299].map(expectation.matches)).toEqual([true, true, true]);
    expect([199, 300, 400, 500, null].map(expectation.matches)).toEqual([false, false, false, false, false]);
  });

  it("a class leaves out 404 and 405, which say the route is wrong; naming 404 itself matches it", () => {
    const fourXx = parseExpectation(" 4XX ", "--expect");
    expect(fourXx.label).toBe("4xx");
    expect([400, 401, 403, 422, 499].map(fourXx.matches)).toEqual([true, true, true, true, true]);
    expect([404, 405, 399, 500, null].map(fourXx.matches)).toEqual([false, false, false, false, false]);
    expect(parseExpectation("404", "--expect").matches(404)).toBe(true);
    expect(parseExpectation("404", "--expect").matches(400)).toBe(false);
  });

  it("the inspector's request reads `expect` by the same rule", () => {
    const { expectation } = parseReplayRequest({ expect: "4xx" });
    expect([400, 404, 405].map(expectation.matches)).toEqual([true, false, false]);
    expect(parseReplayRequest({}).expectation.matches(204)).toBe(true);
  });

  it("refuses anything else as bad input (exit 2), naming the option as the user gave it", () => {
    for (const bad of ["ok", "2xxx", "600", "6xx", "20"]) {
      expect(() => parseExpectation(bad, "--expect")).toThrow(new HooktapeError("bad_input", `Invalid --expect "${bad}": expected a status (400) or a class (4xx)`));
    }
    expect(() => parseReplayRequest({ expect: "ok" })).toThrow('Invalid expect "ok"');
  });
});

describe("one header-line rule for `--header` and the inspector's `headers`", () => {
  it("splits at the first colon and trims, keeping the name's spelling and colons in the value", () => {
    expect(parseHeaderLine("X-Debug: 1", "--header")).toEqual(["X-Debug", "1"]);
    expect(parseHeaderLine("X-Time:12:30:00", "--header")).toEqual(["X-Time", "12:30:00"]);
    expect(parseHeaderLine("X-Empty:", "--header")).toEqual(["X-Empty", ""]);
    expect(parseReplayRequest({ headers: ["X-Debug: 1"] }).headerSets).toEqual([["X-Debug", "1"]]);
  });

  it("refuses a line without a token name, or a value with a line break, in either surface", () => {
    expect(() => parseHeaderLine("NoColonHere", "--header")).toThrow('Invalid --header "NoColonHere": expected "Name: value"');
    expect(() => parseHeaderLine(": 1", "--header")).toThrow("expected");
    expect(() => parseHeaderLine("X Y: 1", "--header")).toThrow("expected");
    expect(() => parseHeaderLine("X-A: 1\r\nX-B: 2", "--header")).toThrow('Invalid --header "X-A": the value contains a line break');
    expect(() => parseReplayRequest({ headers: ["X-A: 1\nX-B: 2"] })).toThrow('Invalid headers "X-A": the value contains a line break');
  });
});
