import { createHash, createHmac } from "node:crypto";
import { findHeader } from "../core/headers.js";
import type { HeaderPairs, RawRequest, Verification } from "../core/types.js";
import { getProvider, secretEnvName } from "../providers/index.js";

// Providers' URL-verification handshakes: before a provider sends events to a URL it asks the URL to prove it wants
// them, and a developer's handler has not learnt to answer on day one. This module recognises such a request and
// computes the answer the provider expects; capture-server.ts decides when to send it (--handshakes).
//
// Recognition is deliberately narrow, so that an ordinary request is never swallowed: each handshake is matched on
// the method, the exact query parameters or JSON fields the provider sends and nothing else, and — where the
// provider signs its handshake (Slack, Zoom) — on the provider hooktape detected from the headers. A request that
// `--provider` pins to another provider, or whose headers another provider's signature matches, is never a
// handshake of the bare-query kinds (Dropbox, eBay, X, Meta).

/** `--handshakes`: answer recognised handshakes (default), let the handler try first, or forward everything. */
export type HandshakeMode = "answer" | "forward-first" | "off";

/** Who hands out a verify token: the Meta apps (Meta, WhatsApp, Instagram, Messenger), Strava and eBay. */
export type VerifyTokenFamily = "meta" | "strava" | "ebay";

/** What answering may need, looked up only when a handshake that needs it arrives. */
export interface HandshakeCredentials {
  /**
   * The secrets given for a provider by name (`--secret <id>=…`, a `--secret-file` line, HOOKTAPE_SECRET_<ID>, an
   * unnamed one only under `--provider <id>`): an answer keyed with a secret goes back to whoever sent the request.
   */
  secretsOf(providerId: string): readonly string[];
  /** The verify tokens configured for a family (`--verify-token`, HOOKTAPE_VERIFY_TOKEN_<FAMILY>). */
  verifyTokensOf(family: VerifyTokenFamily): readonly string[];
}

export interface HandshakeAnswer {
  status: number;
  headers: HeaderPairs;
  body: Buffer;
}

/** A recognised handshake: its name for the line, and hooktape's answer or why it has none. */
export interface Handshake {
  /** The provider id it belongs to (`zoom`, `dropbox`; `meta` for the hub.challenge of the Meta apps). */
  provider: string;
  /** What the listen line calls it: "Zoom endpoint.url_validation". */
  name: string;
  /** The answer the provider expects, or null when hooktape cannot give it (then `unanswered` says why). */
  answer: HandshakeAnswer | null;
  /** One line: what is missing and which flag or variable supplies it. Null when `answer` is set. */
  unanswered: string | null;
}

/** A handshake request as the capture server sees it after verification. */
export interface HandshakeInput {
  request: RawRequest;
  /** The provider hooktape settled on: `--provider`, else detected from the headers; null when neither. */
  provider: string | null;
  verification: Verification;
  /** The URL the sender called (the public URL through the tunnel): eBay hashes it into its answer. */
  calledUrl: string;
}

const TEXT_HEADERS: HeaderPairs = [
  ["Content-Type", "text/plain; charset=utf-8"],
  // Dropbox asks for both on its echo (https://www.dropbox.com/developers/reference/webhooks, "The verification
  // request"): the challenge is attacker-chosen text, so no browser may read it as HTML.
  ["X-Content-Type-Options", "nosniff"],
];
const JSON_HEADERS: HeaderPairs = [["Content-Type", "application/json"]];

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
const META_APPS = ["meta", "whatsapp", "instagram", "messenger"];

/** The handshake this request is, with hooktape's answer; null when it is not one. Pure: no I/O, no clock. */
export function recogniseHandshake(input: HandshakeInput, credentials: HandshakeCredentials): Handshake | null {
  const { request } = input;
  const method = request.method.toUpperCase();
  if (method === "GET") return recogniseGet(input, credentials);
  if (method === "POST") return recognisePost(input, credentials);
  return null;
}

function recogniseGet(input: HandshakeInput, credentials: HandshakeCredentials): Handshake | null {
  const { request, provider } = input;
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
    return answered("okta", "Okta verification challenge", jsonAnswer({ verification: okta }));
  }

  // Dropbox and Nylas (v3): `GET ?challenge=<random>`, answered with the bare value
  // (https://www.dropbox.com/developers/reference/webhooks; https://developer.nylas.com/docs/v3/notifications/webhooks/
  // — "the exact value, no quotes or JSON"). A `challenge` parameter alone is the most generic shape of all, so it is
  // recognised only when it is the one parameter, the request has no body, and no other provider's headers are on it.
  if (only("challenge") && (provider === null || provider === "dropbox" || provider === "nylas")) {
    const name = provider === "nylas" ? "Nylas challenge" : provider === "dropbox" ? "Dropbox challenge" : "Dropbox/Nylas challenge";
    return answered(provider ?? "dropbox", name, textAnswer(value("challenge")));
  }

  // eBay marketplace notifications: `GET ?challenge_code=X` → {"challengeResponse": hex SHA-256(X + verification token
  // + endpoint URL)} (https://developer.ebay.com/marketplace-account-deletion). The endpoint is the URL eBay called,
  // without the query: through the tunnel, the public URL.
  if (only("challenge_code") && provider === null) {
    const name = "eBay challenge_code";
    const tokens = credentials.verifyTokensOf("ebay");
    const token = tokens[0];
    if (token === undefined) return unanswered("ebay", name, `no eBay verification token; pass --verify-token ebay=<token> or set ${verifyTokenEnvName("ebay")}`);
    const endpoint = withoutQuery(input.calledUrl);
    const hash = createHash("sha256").update(value("challenge_code")).update(token).update(endpoint).digest("hex");
    return answered("ebay", name, jsonAnswer({ challengeResponse: hash }));
  }

  // X (Twitter) Account Activity CRC: `GET ?crc_token=T[&nonce=N]` → {"response_token": "sha256=" + base64
  // HMAC-SHA256(consumer secret, T)} (https://docs.x.com/x-api/webhooks/quickstart, "The CRC check"). X does not sign
  // the CRC request itself, hence the token-shape rule above.
  if ((only("crc_token") || only("crc_token", "nonce")) && (provider === null || provider === "twitter")) {
    const name = "X (Twitter) CRC";
    const token = value("crc_token");
    if (!TOKEN_SHAPE.test(token)) return unanswered("twitter", name, "the crc_token is not a plain token (letters, digits, -_+/=.~; at most 256)");
    const secret = credentials.secretsOf("twitter")[0];
    if (secret === undefined) {
      return unanswered("twitter", name, `no X consumer secret named for twitter (an unnamed --secret never answers a handshake); pass --secret twitter=<consumer secret> or set ${secretEnvName("twitter")}`);
    }
    const hmac = createHmac("sha256", secret).update(token).digest("base64");
    return answered("twitter", name, jsonAnswer({ response_token: `sha256=${hmac}` }));
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
    const strava = credentials.verifyTokensOf("strava");
    const meta = credentials.verifyTokensOf("meta");
    if (provider === null && strava.includes(offered)) {
      return answered("strava", "Strava hub.challenge", jsonAnswer({ "hub.challenge": challenge }));
    }
    const metaName = `${provider === null || provider === "meta" ? "Meta" : nameOf(provider)} hub.challenge`;
    if (meta.length === 0 || meta.includes(offered)) {
      return answered(provider ?? "meta", metaName, textAnswer(challenge));
    }
    return unanswered(
      provider ?? "meta",
      metaName,
      `hub.verify_token does not match the configured verify token (--verify-token meta=… / strava=…, ${verifyTokenEnvName("meta")})`,
    );
  }
  return null;
}

function recognisePost(input: HandshakeInput, credentials: HandshakeCredentials): Handshake | null {
  const { request, provider } = input;
  if (request.body.length === 0 || request.body.length > MAX_HANDSHAKE_BODY) return null;
  // Every POST passes here: a byte search first, so that ordinary events are not parsed a second time.
  const marker = provider === "slack" ? "url_verification" : provider === "zoom" ? "endpoint.url_validation" : provider === null || provider === "monday" ? '"challenge"' : null;
  if (marker === null || !request.body.includes(marker)) return null;
  const json = parseObject(request.body);
  if (json === null) return null;

  // Slack Events API: {"type":"url_verification","challenge":C,"token":…} → C as text
  // (https://api.slack.com/events/url_verification). Slack signs it like any event, so it is recognised only on a
  // request detected as Slack (X-Slack-Signature); an event_callback that happens to hold a "challenge" field is not.
  if (provider === "slack" && json.type === "url_verification" && typeof json.challenge === "string") {
    return answered("slack", "Slack url_verification", textAnswer(json.challenge));
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
    const secrets = credentials.secretsOf("zoom");
    if (secrets.length === 0) {
      return unanswered("zoom", name, `no Zoom secret token named for zoom (an unnamed --secret never answers a handshake); pass --secret zoom=<secret token> or set ${secretEnvName("zoom")}`);
    }
    const secret = secretThatSigned("zoom", request, secrets);
    if (secret === undefined) {
      return unanswered("zoom", name, `its signature does not verify with the configured Zoom secret token (${input.verification.reason ?? input.verification.status})`);
    }
    const encryptedToken = createHmac("sha256", secret).update(plainToken).digest("hex");
    return answered("zoom", name, jsonAnswer({ plainToken, encryptedToken }));
  }

  // monday.com board webhooks: the first POST is {"challenge":C}, answered by echoing the same JSON
  // (https://developer.monday.com/api-reference/docs/webhooks#url-verification). Only a body whose one key is
  // "challenge" counts: no monday.com event has that shape.
  const keys = Object.keys(json);
  if (keys.length === 1 && keys[0] === "challenge" && typeof json.challenge === "string" && (provider === null || provider === "monday")) {
    return answered("monday", "monday.com challenge", { status: 200, headers: JSON_HEADERS, body: request.body });
  }
  return null;
}

/**
 * Whether a handler's response is a correct answer to this handshake (`--handshakes forward-first`): a 2xx whose
 * body says what hooktape's answer says — the same text, or the same JSON fields — read as the provider reads it.
 */
export function isCorrectAnswer(handshake: Handshake, response: { status: number | null; body: Buffer; complete: boolean }): boolean {
  const expected = handshake.answer;
  if (expected === null || response.status === null || response.status < 200 || response.status > 299 || !response.complete) return false;
  const isJson = expected.headers.some(([name, value]) => name.toLowerCase() === "content-type" && value.startsWith("application/json"));
  if (!isJson) {
    const want = expected.body.toString("utf8");
    const got = response.body.toString("utf8").trim();
    if (got === want) return true;
    // Slack also takes {"challenge":C} or challenge=C (https://api.slack.com/events/url_verification).
    if (handshake.provider === "slack") return parseObject(response.body)?.challenge === want || new URLSearchParams(got).get("challenge") === want;
    return false;
  }
  const want = parseObject(expected.body);
  const got = parseObject(response.body);
  if (want === null || got === null) return false;
  return Object.entries(want).every(([key, value]) => got[key] === value);
}

/** `--verify-token` values and HOOKTAPE_VERIFY_TOKEN_<FAMILY>, by family; `meta=`, `whatsapp=`, `strava=`, `ebay=` prefixes. */
export function verifyTokensFrom(flagValues: readonly string[], env: NodeJS.ProcessEnv): (family: VerifyTokenFamily) => string[] {
  const byFamily = new Map<VerifyTokenFamily, string[]>();
  const unprefixed: string[] = [];
  for (const value of flagValues) {
    const eq = value.indexOf("=");
    const prefix = eq > 0 ? value.slice(0, eq) : "";
    const family: VerifyTokenFamily | null = META_APPS.includes(prefix) ? "meta" : prefix === "strava" || prefix === "ebay" ? prefix : null;
    if (family === null) {
      if (value.length > 0) unprefixed.push(value);
      continue;
    }
    if (eq + 1 < value.length) byFamily.set(family, [...(byFamily.get(family) ?? []), value.slice(eq + 1)]);
  }
  return (family) => {
    const given = byFamily.get(family) ?? [];
    // An unprefixed token is Meta's (the common case) or eBay's (which has no other use for one); Strava's is named.
    const tokens = family === "strava" ? given : [...given, ...unprefixed];
    if (tokens.length > 0) return tokens;
    const fromEnv = env[verifyTokenEnvName(family)];
    return fromEnv !== undefined && fromEnv.length > 0 ? [fromEnv] : [];
  };
}

export function verifyTokenEnvName(family: VerifyTokenFamily): string {
  return `HOOKTAPE_VERIFY_TOKEN_${family.toUpperCase()}`;
}

/** The first secret the request's own signature verifies with (each tried alone), or undefined. */
function secretThatSigned(providerId: string, request: RawRequest, secrets: readonly string[]): string | undefined {
  const scheme = getProvider(providerId);
  if (!scheme) return undefined;
  const now = Math.floor(request.receivedAt / 1000);
  return secrets.find((secret) => scheme.verify(request, [secret], { now }).valid);
}

function answered(provider: string, name: string, answer: HandshakeAnswer): Handshake {
  return { provider, name, answer, unanswered: null };
}

function unanswered(provider: string, name: string, why: string): Handshake {
  return { provider, name, answer: null, unanswered: why };
}

function textAnswer(text: string): HandshakeAnswer {
  return { status: 200, headers: TEXT_HEADERS, body: Buffer.from(text, "utf8") };
}

function jsonAnswer(value: Record<string, string>): HandshakeAnswer {
  return { status: 200, headers: JSON_HEADERS, body: Buffer.from(JSON.stringify(value), "utf8") };
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

function parseObject(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function nameOf(providerId: string): string {
  return getProvider(providerId)?.name.split(" (")[0] ?? providerId;
}
