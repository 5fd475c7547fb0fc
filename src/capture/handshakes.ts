import { createHash, createHmac } from "node:crypto";
import type { HeaderPairs, RawRequest, Verification } from "../core/types.js";
import { getProvider } from "../providers/index.js";
import { secretEnvName } from "../secrets/secret-book.js";
import {
  META_APPS,
  ebayAnswer,
  keyedAnswer,
  keyedDigestEncoding,
  parseObject,
  plainAnswerOf,
  recogniseHandshakeShape,
  type HandshakeShape,
  type PlainAnswer,
  type VerifyTokenFamily,
} from "./handshake-recognition.js";

// Providers' URL-verification handshakes: before a provider sends events to a URL it asks the URL to prove it wants
// them, and a developer's handler has not learnt to answer on day one. handshake-recognition.ts recognises such a
// request; this module computes the answer the provider expects with the secrets and tokens `listen` was given;
// capture-request.ts decides when to send it (--handshakes).

/** `--handshakes`: answer recognised handshakes (default), let the handler try first, or forward everything. */
export type HandshakeMode = "answer" | "forward-first" | "off";

export type { VerifyTokenFamily } from "./handshake-recognition.js";

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

/** The handshake this request is, with hooktape's answer; null when it is not one. Pure: no I/O, no clock. */
export function recogniseHandshake(input: HandshakeInput, credentials: HandshakeCredentials): Handshake | null {
  const { request } = input;
  const shape = recogniseHandshakeShape(request, { provider: input.provider, calledUrl: input.calledUrl, verifyTokensOf: credentials.verifyTokensOf });
  if (shape === null) return null;
  const { provider, name } = shape;
  const made = shape.recipe;
  if (made === null) return unanswered(provider, name, withFlagHint(shape));
  const plain = plainAnswerOf(shape, request.body);
  if (plain !== null) return answered(provider, name, { status: plain.status, headers: plain.headers, body: Buffer.from(plain.body) });
  if (made.kind === "ebay") {
    const hash = createHash("sha256").update(made.challengeCode).update(made.token).update(made.endpoint).digest("hex");
    return answered(provider, name, bytesOf(ebayAnswer(hash)));
  }
  if (made.kind !== "keyed") return null;
  const secrets = credentials.secretsOf(made.provider);
  if (secrets.length === 0) {
    // Only a secret named for this provider answers: an unnamed one may be another provider's key, and the answer is
    // an HMAC under it of a text the caller chose.
    const what =
      made.provider === "zoom"
        ? "no Zoom secret token named for zoom (an unnamed --secret never answers a handshake); pass --secret zoom=<secret token>"
        : "no X consumer secret named for twitter (an unnamed --secret never answers a handshake); pass --secret twitter=<consumer secret>";
    return unanswered(provider, name, `${what} or set ${secretEnvName(made.provider)}`);
  }
  const secret = made.signedRequest ? secretThatSigned(made.provider, request, secrets) : secrets[0];
  if (secret === undefined) {
    return unanswered(provider, name, `its signature does not verify with the configured Zoom secret token (${input.verification.reason ?? input.verification.status})`);
  }
  const digest = createHmac("sha256", secret).update(made.token).digest(keyedDigestEncoding(made.provider));
  return answered(provider, name, bytesOf(keyedAnswer(made, digest)));
}

/** What an unanswered handshake misses, with the flag or variable that supplies it in `listen`. */
function withFlagHint(shape: HandshakeShape): string {
  if (shape.provider === "ebay") return `${shape.unanswered}; pass --verify-token ebay=<token> or set ${verifyTokenEnvName("ebay")}`;
  if (shape.unanswered?.startsWith("hub.verify_token")) return `${shape.unanswered} (--verify-token meta=… / strava=…, ${verifyTokenEnvName("meta")})`;
  return shape.unanswered ?? "";
}

function bytesOf(answer: PlainAnswer): HandshakeAnswer {
  return { status: answer.status, headers: answer.headers, body: Buffer.from(answer.body, "utf8") };
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
