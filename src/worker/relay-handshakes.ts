import {
  ebayAnswer,
  keyedAnswer,
  keyedDigestEncoding,
  plainAnswerOf,
  recogniseHandshakeShape,
  type HandshakeRequest,
} from "../capture/handshake-recognition.js";
import type { ChannelSettings, RelayHandshake } from "../core/relay-protocol.js";
import { hmacSha256, sameText, sha256Hex, toBase64, toHex } from "./crypto.js";

/**
 * Each auto-detected provider with the headers its detection needs, in the catalogue's detection order: read off the
 * provider registry when the worker is bundled (scripts/build-worker.mjs), so that the relay tells a Slack or Zoom
 * request from a bare-query handshake as `listen` does, without bundling the providers' Node code.
 */
declare const HOOKTAPE_PROVIDER_DETECTION_HEADERS: ReadonlyArray<readonly [id: string, headers: readonly string[]]>;

/** The first provider, in detection order, whose headers the request carries; null when none. */
export function detectProviderId(headers: Headers): string | null {
  for (const [id, needed] of HOOKTAPE_PROVIDER_DETECTION_HEADERS) if (needed.every((name) => headers.has(name))) return id;
  return null;
}

/**
 * The relay's answer to a provider's URL-verification handshake, or null when the request is none or the relay cannot
 * answer it (then it is stored and answered like any event). Those that need no secret are answered always; Zoom's
 * and X's only with the secret stored on the channel for that provider, and Zoom's only when the request's own
 * signature verifies with it — with the token-shape rule of handshake-recognition.ts, the relay is never a signing
 * oracle.
 */
export async function answerHandshake(
  request: HandshakeRequest,
  context: { calledUrl: string; settings: ChannelSettings },
): Promise<RelayHandshake | null> {
  const headers = new Headers(request.headers);
  const provider = detectProviderId(headers);
  const tokens = context.settings.verifyTokens;
  const shape = recogniseHandshakeShape(request, { provider, calledUrl: context.calledUrl, verifyTokensOf: (family) => tokens[family] ?? [] });
  if (shape === null || shape.recipe === null) return null;
  const made = shape.recipe;
  const answer = (status: number, answerHeaders: RelayHandshake["headers"], body: Uint8Array | string): RelayHandshake => ({
    provider: shape.provider,
    name: shape.name,
    status,
    headers: answerHeaders,
    bodyBase64: toBase64(typeof body === "string" ? new TextEncoder().encode(body) : body),
  });
  const plain = plainAnswerOf(shape, request.body);
  if (plain !== null) return answer(plain.status, plain.headers, plain.body);
  if (made.kind === "ebay") {
    const done = ebayAnswer(await sha256Hex(made.challengeCode + made.token + made.endpoint));
    return answer(done.status, done.headers, done.body);
  }
  if (made.kind !== "keyed") return null;
  const secret = context.settings.handshakeSecrets[made.provider];
  if (secret === undefined || secret === "") return null;
  if (made.signedRequest && !(await zoomSignatureVerifies(headers, request.body, secret))) return null;
  const mac = await hmacSha256(secret, made.token);
  const done = keyedAnswer(made, keyedDigestEncoding(made.provider) === "hex" ? toHex(mac) : toBase64(mac));
  return answer(done.status, done.headers, done.body);
}

/**
 * Zoom signs its handshake as every delivery: `x-zm-signature: v0=<hex HMAC-SHA256 of "v0:<x-zm-request-timestamp>:
 * <body>">` (https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events; `listen` checks the same with the
 * scheme in providers/zoom.ts, which needs node:crypto).
 */
async function zoomSignatureVerifies(headers: Headers, body: Uint8Array, secret: string): Promise<boolean> {
  const signature = headers.get("x-zm-signature");
  const timestamp = headers.get("x-zm-request-timestamp");
  if (signature === null || timestamp === null) return false;
  const prefix = new TextEncoder().encode(`v0:${timestamp}:`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  return sameText(`v0=${toHex(await hmacSha256(secret, message))}`, signature);
}
