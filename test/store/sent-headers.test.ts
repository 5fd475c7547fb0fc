import { describe, expect, it } from "vitest";
import { decodeSentHeaders, encodeSentHeaders } from "../../src/store/sent-headers.js";

const captured: Array<[string, string]> = [
  ["Host", "abc.trycloudflare.com"],
  ["Content-Type", "application/json"],
  ["X-Dup", "one"],
  ["X-Dup", "one"],
  ["Stripe-Signature", "t=1,v1=aa"],
  ["X-Émoji", "🪝"],
];

describe("a sent request's headers, stored against its event's", () => {
  it("round-trips order, case, duplicates and changed values, storing only what differs", () => {
    const sent: Array<[string, string]> = [
      ["Content-Type", "application/json"],
      ["X-Dup", "one"],
      ["X-Dup", "one"],
      ["X-Dup", "one"],
      ["stripe-signature", "t=1,v1=aa"],
      ["Stripe-Signature", "t=2,v1=bb"],
      ["X-Émoji", "🪝"],
      ["X-Forwarded-For", "127.0.0.1"],
    ];
    const stored = encodeSentHeaders(sent, captured);
    expect(decodeSentHeaders(stored, captured)).toEqual(sent);
    // The event's pairs become indexes: the third X-Dup, the renamed and the re-signed headers are written out.
    expect(JSON.parse(stored)).toEqual([1, 2, 3, ["X-Dup", "one"], ["stripe-signature", "t=1,v1=aa"], ["Stripe-Signature", "t=2,v1=bb"], 5, ["X-Forwarded-For", "127.0.0.1"]]);
    expect(stored.length).toBeLessThan(JSON.stringify(sent).length);
  });

  it("writes every pair out when there is no event to refer to", () => {
    expect(decodeSentHeaders(encodeSentHeaders(captured, null), [])).toEqual(captured);
  });
});
