import { describe, expect, it } from "vitest";
import { thrown } from "../helpers/thrown.js";
import { parseDuration, parseInteger, parseSince, parseSize } from "../../src/core/units.js";


describe("durations", () => {
  it("read units and combinations", () => {
    expect(parseDuration("500ms", "--x")).toBe(500);
    expect(parseDuration("90s", "--x")).toBe(90_000);
    expect(parseDuration("10m", "--x")).toBe(600_000);
    expect(parseDuration("1h30m", "--x")).toBe(5_400_000);
    expect(parseDuration("2d", "--x")).toBe(172_800_000);
    expect(parseDuration("1w", "--x")).toBe(604_800_000);
    expect(parseDuration("1.5s", "--x")).toBe(1500);
  });

  it("refuse a number without a unit (--stale 10: seconds or minutes?), exit 2 naming the flag", () => {
    const error = thrown(() => parseDuration("10", "--stale"));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('Invalid --stale "10": a number needs a unit (10s? 10m? 10h?); expected a duration such as 30s, 10m, 2h or 1d');
    for (const bad of ["", "10x", "m10", "10m junk", "-5m"]) expect(thrown(() => parseDuration(bad, "--stale")).exitCode).toBe(2);
  });

  it("--since takes a duration ago or an ISO time, and its errors mention both", () => {
    const now = Date.UTC(2026, 10, 27, 12);
    expect(parseSince("2h", "--since", now)).toBe(now - 7_200_000);
    expect(parseSince("2026-11-23T10:00:00Z", "--since", now)).toBe(Date.UTC(2026, 10, 23, 10));
    expect(thrown(() => parseSince("yesterday", "--since", now)).message).toMatch(/ISO time \(2026-11-23T10:00:00Z\)/);
    expect(thrown(() => parseSince("2026-13-45", "--since", now)).message).toMatch(/ISO time/);
    expect(thrown(() => parseSince("10", "--since", now)).message).toMatch(/needs a unit.*ISO time/);
  });
});

describe("sizes and integers", () => {
  it("sizes are binary; a bare number is bytes", () => {
    expect(parseSize("1mb", "--max-body")).toBe(1_048_576);
    expect(parseSize("512KB", "--max-body")).toBe(524_288);
    expect(parseSize("100", "--max-body")).toBe(100);
    expect(thrown(() => parseSize("1tb", "--max-body")).message).toMatch(/512kb, 25mb/);
  });

  it("integers within bounds, else exit 2 with the range", () => {
    expect(parseInteger("42", "--times", 1, 100)).toBe(42);
    expect(thrown(() => parseInteger("0", "--times", 1, 100)).message).toBe('Invalid --times "0": expected a number from 1 to 100');
    expect(thrown(() => parseInteger("1.5", "--times", 1)).message).toMatch(/whole number/);
  });
});
