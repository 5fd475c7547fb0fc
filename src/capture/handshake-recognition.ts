import { findHeader } from "../core/headers.js";
import type { HeaderPairs } from "../core/types.js";

// Which provider's URL-verification handshake a request is, and the recipe of the answer the provider expects:
// pure, no Node API, no clock, no key. capture/handshakes.ts turns a recipe into bytes with node:crypto for `listen`;
// the relay's worker does the same with WebCrypto, so that both recognise exactly the same requests.
//
// Recognition is deliberately narrow, so that an ordinary request is never swallowed: each handshake is matched on
// the method, the exact query parameters or JSON fields the provider sends and nothing else, and — where the
// provider signs its handshake (Slack, Zoom) — on the provider detected from the headers. A request that
// `--provider` pins to another provider, or whose headers another provider's signature matches, is never a
// handshake of the bare-query kinds (Dropbox, eBay, X, Meta).

/** Who hands out a verify token: the Meta apps (Meta, WhatsApp, Instagram, Messenger), Strava and eBay. */
export type VerifyTokenFamily = "meta" | "strava" | "ebay";

/** A request as recognition reads it: the body as bytes (a Node Buffer is one). */
export interface HandshakeRequest {
  method: string;
  url: string;
  headers: HeaderPairs;
  body: Uint8Array;
}

/** How the answer is made. `keyed`: a digest keyed with the provider's signing secret, which the caller holds. */
export type AnswerRecipe =
  | { kind: "text"; text: string }
  | { kind: "json"; fields: Record<string, string> }
  /** The request's own JSON body, sent back (monday.com). */
  | { kind: "echo-json" }
  /**
   * HMAC-SHA256 of `token` keyed with the secret of `provider` (Zoom: hex, X: base64). `signedRequest`: answer only a
   * request whose own signature verifies with that secret (Zoom signs its handshake; X does not).
   */
  | { kind: "keyed"; provider: "zoom" | "twitter"; token: string; signedRequest: boolean }
  /** eBay: hex SHA-256 of challenge code + verification token + endpoint URL. */
  | { kind: "ebay"; challengeCode: string; token: string; endpoint: string };

/** A recognised handshake: its name for the line, and the recipe of its answer or why there is none. */
export interface HandshakeShape {
  /** The provider id it belongs to (`zoom`, `dropbox`; `meta` for the hub.challenge of the Meta apps). */
  provider: string;
  /** What the listen line calls it: "Zoom endpoint.url_validation". */
  name: string;
  recipe: AnswerRecipe | null;
  /** What is missing, when `recipe` is null. */
  unanswered: string | null;
}

/** An answer as text, before it becomes bytes. */
export interface PlainAnswer {
  status: number;
  headers: HeaderPairs;
  body: string;
}

export const TEXT_HEADERS: HeaderPairs = [
  ["Content-Type", "text/plain; charset=utf-8"],
  // Dropbox asks for both on its echo (https://www.dropbox.com/developers/reference/webhooks, "The verification
  // request"): the challenge is attacker-chosen text, so no browser may read it as HTML.
  ["X-Content-Type-Options", "nosniff"],
];
export const JSON_HEADERS: HeaderPairs = [["Content-Type", "application/json"]];

/** Handshake bodies are a few hundred bytes; anything much larger is an event, not a handshake. */
const MAX_HANDSHAKE_BODY = 16 * 1024;

/**
 * X's CRC token and Zoom's plainToken are random strings. Their answers are HMACs keyed with the same secret that
 * signs events (X: HMAC of the body; Zoom: HMAC of "v0:<ts>:<body>"), so answering an arbitrary string would let
 * anyone who can reach the public URL obtain a valid signature for a body of their choosing. Only token-shaped values
 * are answered: no JSON, no ":" — never the shape of a signed message.
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_\-+/=.~]{1,256}$/;

/** The Meta apps' ids: `--provider whatsapp` etc. still mean the hub.challenge of Meta's Graph API webhooks. */
export const META_APPS: readonly string[] = ["meta", "whatsapp", "instagram", "messenger"];

/** The names the lines use for the Meta apps' hub.challenge. */
const META_APP_NAMES: Readonly<Record<string, string>> = {
  meta: "Meta",
  whatsapp: "WhatsApp Business",
  instagram: "Instagram",
  messenger: "Facebook Messenger",
};

/**
 * The handshake this request is, with the recipe of its answer; null when it is not one. `provider`: the provider
 * settled on (pinned, else detected from the headers; null when neither). `calledUrl`: the URL the sender called
 * (eBay hashes it). `verifyTokensOf`: the configured verify tokens of a family.
 */
export function recogniseHandshakeShape(
  request: HandshakeRequest,
  context: { provider: string | null; calledUrl: string; verifyTokensOf: (family: VerifyTokenFamily) => readonly string[] },
): HandshakeShape | null {
  const method = request.method.toUpperCase();
  if (method === "GET") return recogniseGet(request, context);
  if (method === "POST") return recognisePost(request, context.provider);
  return null;
}

function recogniseGet(
  request: HandshakeRequest,
  context: { provider: string | null; calledUrl: string; verifyTokensOf: (family: VerifyTokenFamily) => readonly string[] },
): HandshakeShape | null {
  const { provider } = context;
  if (request.body.length > 0) return null;
  const query = queryOf(request.url);
  const names = [...new Set(query.map(([name]) => name))].sort();
  const only = (...expected: string[]) => query.length === expected.length && names.join("&") === [...expected].sort().join("&");
  const value = (name: string) => query.find(([key]) => key === name)?.[1] ?? "";

  // Okta event hooks: a one-time GET carrying the challenge in a header, answered as {"verification": <it>}
  // (https://developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request). The header name is
  // Okta's own, so it is specific on its own.
  const okta = findHeader(request.headers, "x-okta-verification-challenge");
  if (okta !== undefined && (provider === null || provider === "okta")) {
    return recipe("okta", "Okta verification challenge", { kind: "json", fields: { verification: okta } });
  }

  // Dropbox and Nylas (v3): `GET ?challenge=<random>`, answered with the bare value
  // (https://www.dropbox.com/developers/reference/webhooks; https://developer.nylas.com/docs/v3/notifications/webhooks/
  // — "the exact value, no quotes or JSON"). A `challenge` parameter alone is the most generic shape of all, so it is
  // recognised only when it is the one parameter, the request has no body, and no other provider's headers are on it.
  if (only("challenge") && (provider === null || provider === "dropbox" || provider === "nylas")) {
    const name = provider === "nylas" ? "Nylas challenge" : provider === "dropbox" ? "Dropbox challenge" : "Dropbox/Nylas challenge";
    return recipe(provider ?? "dropbox", name, { kind: "text", text: value("challenge") });
  }

  // eBay marketplace notifications: `GET ?challenge_code=X` → {"challengeResponse": hex SHA-256(X + verification token
  // + endpoint URL)} (https://developer.ebay.com/marketplace-account-deletion). The endpoint is the URL eBay called,
  // without the query: through the tunnel, the public URL.
  if (only("challenge_code") && provider === null) {
    const name = "eBay challenge_code";
    const token = context.verifyTokensOf("ebay")[0];
    if (token === undefined) return unanswered("ebay", name, "no eBay verification token");
    return recipe("ebay", name, { kind: "ebay", challengeCode: value("challenge_code"), token, endpoint: withoutQuery(context.calledUrl) });
  }

  // X (Twitter) Account Activity CRC: `GET ?crc_token=T[&nonce=N]` → {"response_token": "sha256=" + base64
  // HMAC-SHA256(consumer secret, T)} (https://docs.x.com/x-api/webhooks/quickstart, "The CRC check"). X does not sign
  // the CRC request itself, hence the token-shape rule above.
  if ((only("crc_token") || only("crc_token", "nonce")) && (provider === null || provider === "twitter")) {
    const name = "X (Twitter) CRC";
    const token = value("crc_token");
    if (!TOKEN_SHAPE.test(token)) return unanswered("twitter", name, "the crc_token is not a plain token (letters, digits, -_+/=.~; at most 256)");
    return recipe("twitter", name, { kind: "keyed", provider: "twitter", token, signedRequest: false });
  }

  // Meta (Graph API webhooks: Facebook, WhatsApp, Instagram, Messenger) and Strava: `GET ?hub.mode=subscribe
  // &hub.challenge=C&hub.verify_token=V`. Meta wants C as the body
  // (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests); Strava wants
  // {"hub.challenge": C} (https://developers.strava.com/docs/webhooks/). The request looks the same, so the verify
  // token tells them apart: one configured as strava= answers as Strava, anything else as Meta. With Meta tokens
  // configured, V must match one of them, as Meta's docs ask the endpoint to check; without, it is not checked.
  if (only("hub.mode", "hub.challenge", "hub.verify_token") && value("hub.mode") === "subscribe" && (provider === null || META_APPS.includes(provider))) {
    const challenge = value("hub.challenge");
    const offered = value("hub.verify_token");
    const strava = context.verifyTokensOf("strava");
    const meta = context.verifyTokensOf("meta");
    if (provider === null && strava.includes(offered)) {
      return recipe("strava", "Strava hub.challenge", { kind: "json", fields: { "hub.challenge": challenge } });
    }
    const metaName = `${META_APP_NAMES[provider ?? "meta"] ?? provider} hub.challenge`;
    if (meta.length === 0 || meta.includes(offered)) return recipe(provider ?? "meta", metaName, { kind: "text", text: challenge });
    return unanswered(provider ?? "meta", metaName, "hub.verify_token does not match the configured verify token");
  }
  return null;
}

function recognisePost(request: HandshakeRequest, provider: string | null): HandshakeShape | null {
  if (request.body.length === 0 || request.body.length > MAX_HANDSHAKE_BODY) return null;
  // Every POST passes here: a byte search first, so that ordinary events are not parsed a second time.
  const marker = provider === "slack" ? "url_verification" : provider === "zoom" ? "endpoint.url_validation" : provider === null || provider === "monday" ? '"challenge"' : null;
  if (marker === null || !containsAscii(request.body, marker)) return null;
  const json = parseObject(request.body);
  if (json === null) return null;

  // Slack Events API: {"type":"url_verification","challenge":C,"token":…} → C as text
  // (https://api.slack.com/events/url_verification). Slack signs it like any event, so it is recognised only on a
  // request detected as Slack (X-Slack-Signature); an event_callback that happens to hold a "challenge" field is not.
  if (provider === "slack" && json.type === "url_verification" && typeof json.challenge === "string") {
    return recipe("slack", "Slack url_verification", { kind: "text", text: json.challenge });
  }

  // Zoom: {"event":"endpoint.url_validation","payload":{"plainToken":P}} → {"plainToken":P,"encryptedToken": hex
  // HMAC-SHA256(secret token, P)} (https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint). Zoom
  // signs the request with the same secret token: the answer is given only to a request that verifies with it, or
  // hooktape would be a signing oracle for anyone holding the public URL.
  if (provider === "zoom" && json.event === "endpoint.url_validation") {
    const name = "Zoom endpoint.url_validation";
    const payload = json.payload;
    const plainToken = typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>).plainToken : undefined;
    if (typeof plainToken !== "string" || !TOKEN_SHAPE.test(plainToken)) return unanswered("zoom", name, "payload.plainToken is not a plain token");
    return recipe("zoom", name, { kind: "keyed", provider: "zoom", token: plainToken, signedRequest: true });
  }

  // monday.com board webhooks: the first POST is {"challenge":C}, answered by echoing the same JSON
  // (https://developer.monday.com/api-reference/docs/webhooks#url-verification). Only a body whose one key is
  // "challenge" counts: no monday.com event has that shape.
  const keys = Object.keys(json);
  if (keys.length === 1 && keys[0] === "challenge" && typeof json.challenge === "string" && (provider === null || provider === "monday")) {
    return recipe("monday", "monday.com challenge", { kind: "echo-json" });
  }
  return null;
}

/** The answer of a recipe that needs no key; null for `keyed` and `ebay`, which the caller computes. */
export function plainAnswerOf(shape: HandshakeShape, requestBody: Uint8Array): { status: number; headers: HeaderPairs; body: Uint8Array | string } | null {
  const made = shape.recipe;
  if (made === null) return null;
  switch (made.kind) {
    case "text":
      return { status: 200, headers: TEXT_HEADERS, body: made.text };
    case "json":
      return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(made.fields) };
    case "echo-json":
      return { status: 200, headers: JSON_HEADERS, body: requestBody };
    default:
      return null;
  }
}

/** The answer of a keyed recipe, from its digest (Zoom: hex, X: base64 — see `keyedDigestEncoding`). */
export function keyedAnswer(made: Extract<AnswerRecipe, { kind: "keyed" }>, digest: string): PlainAnswer {
  const fields = made.provider === "zoom" ? { plainToken: made.token, encryptedToken: digest } : { response_token: `sha256=${digest}` };
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(fields) };
}

/** How the keyed digest of each provider is written. */
export function keyedDigestEncoding(provider: "zoom" | "twitter"): "hex" | "base64" {
  return provider === "zoom" ? "hex" : "base64";
}

/** eBay's answer, from the hex SHA-256 of challenge code + token + endpoint. */
export function ebayAnswer(digestHex: string): PlainAnswer {
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ challengeResponse: digestHex }) };
}

function recipe(provider: string, name: string, made: AnswerRecipe): HandshakeShape {
  return { provider, name, recipe: made, unanswered: null };
}

function unanswered(provider: string, name: string, why: string): HandshakeShape {
  return { provider, name, recipe: null, unanswered: why };
}

/** The query's parameters in order, decoded as a web framework decodes them; [] without a query. */
function queryOf(url: string): Array<[string, string]> {
  const at = url.indexOf("?");
  if (at === -1) return [];
  const end = url.indexOf("#", at);
  return [...new URLSearchParams(url.slice(at + 1, end === -1 ? undefined : end))];
}

function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** Whether the bytes hold this ASCII text: the native indexOf finds each candidate first byte. */
function containsAscii(bytes: Uint8Array, text: string): boolean {
  const first = text.charCodeAt(0);
  for (let at = bytes.indexOf(first); at !== -1 && at + text.length <= bytes.length; at = bytes.indexOf(first, at + 1)) {
    let i = 1;
    while (i < text.length && bytes[at + i] === text.charCodeAt(i)) i++;
    if (i === text.length) return true;
  }
  return false;
}

export function parseObject(body: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(body));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
