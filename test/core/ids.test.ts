import { describe, expect, it } from "vitest";
import { newDeliveryId, newEventId } from "../../src/core/ids.js";

const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The time a ULID carries, in unix ms. */
function timeOf(id: string): number {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  return [...id.slice(0, 10)].reduce((total, char) => total * 32 + alphabet.indexOf(char), 0);
}

describe("event ids (ULID)", () => {
  it("carry the time they are made for, in 26 Crockford base32 characters", () => {
    const at = Date.UTC(2026, 10, 27, 11, 0, 0, 123);
    const id = newEventId(at);
    expect(id).toMatch(CROCKFORD);
    expect(timeOf(id)).toBe(at);
  });

  it("sort in arrival order within one millisecond", () => {
    const at = Date.UTC(2026, 10, 28);
    const ids = Array.from({ length: 1000 }, () => newEventId(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((id) => timeOf(id) === at)).toBe(true);
  });

  it("keep an older time when one is made after a newer one (an older fixture imported later)", () => {
    const newer = Date.UTC(2026, 10, 29);
    const older = Date.UTC(2025, 0, 1);
    const first = newEventId(newer);
    const second = newEventId(older);
    expect(timeOf(second)).toBe(older);
    expect(second < first).toBe(true);
  });
});

describe("delivery ids", () => {
  it("are dlv_ and 16 hex characters, unique", () => {
    const ids = Array.from({ length: 500 }, newDeliveryId);
    expect(ids.every((id) => /^dlv_[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(500);
  });
});
