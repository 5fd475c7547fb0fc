import { joinPublicUrl, localUrlOf } from "../core/headers.js";
import type { CapturedEvent } from "../core/types.js";
import type { Provider } from "./types.js";

// Imports no provider catalogue: `replay` loads only the providers its events name.

/**
 * Whether `secret` verifies the signature a captured event carries, judged as when it arrived: at its time, against
 * the URL it was called on (the public URL when it is known; a replay reads events without it, so a URL-signing
 * scheme's tunnel delivery does not verify there). Such a secret is the sender's own: re-signing the event with it
 * signs nothing its sender could not.
 */
export function eventSignedWith(
  provider: Provider,
  event: Pick<CapturedEvent, "method" | "url" | "headers" | "body" | "receivedAt" | "rejected"> & { publicUrl?: string | null },
  secret: string,
): boolean {
  if (event.rejected !== null) return false;
  const url = event.publicUrl ? joinPublicUrl(event.publicUrl, event.url) : localUrlOf(event.headers, event.url);
  try {
    return provider.verify(event, [secret], { now: Math.floor(event.receivedAt / 1000), url }).valid;
  } catch {
    return false; // not a key of this scheme's kind at all
  }
}
