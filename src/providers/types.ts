import type { HeaderPairs } from "../core/types.js";
import type { EventTypeRule } from "./event-type.js";
import type { JsonShape } from "./json-shape.js";
import type { SampleEvent } from "./sample.js";

/**
 * How a scheme proves authenticity: a shared-secret MAC, a public-key signature, a plain shared token, or a JSON Web
 * Token (HS256 with the shared secret, or RS256 with the sender's key pair), or the sender's own key named by a
 * certificate URL or key id (PayPal, Amazon SNS, Circle, eBay: src/providers/schemes/certificate.ts).
 */
export type SchemeKind = "hmac" | "ed25519" | "ecdsa" | "token" | "jwt" | "certificate";

export interface SignInput {
  /** The exact bytes to send; `sign` never rewrites them. */
  body: Buffer;
  secret: string;
  /** Unix seconds the signature claims. */
  timestamp: number;
  /** Message id, for schemes that sign one (Standard Webhooks' `webhook-id`). */
  id: string;
  /** The full URL the sender calls, for schemes that sign it (Twilio, Square, ...). */
  url?: string | undefined;
  method: string;
  /** Headers already on the request (content-type, ...); they are kept unless the scheme sets them. */
  headers: HeaderPairs;
}

export interface SignOutput {
  /**
   * The headers a real delivery of this provider carries: the signature headers and the others its
   * official SDK requires. Callers merge them over the request's own headers.
   */
  headers: HeaderPairs;
  /** Set only when the scheme changes the URL (Twilio adds `bodySHA256=` for JSON bodies). */
  url?: string;
  /**
   * Set only by the rare schemes that carry the signature or the signed time inside the body (Mailgun's `signature`
   * object, Linear's `webhookTimestamp`): the body with those fields written in. Every other scheme leaves it alone.
   */
  body?: Buffer;
}

export interface VerifyRequest {
  method: string;
  /** Path and query, or a full URL. */
  url: string;
  headers: HeaderPairs;
  body: Buffer;
}

export interface VerifyOptions {
  /** Unix seconds to check timestamps against (a captured event is checked at its received time). */
  now: number;
  /** Override the provider's tolerance, in seconds. */
  toleranceSec?: number | undefined;
  /** The full URL the sender called, for URL-signing schemes. */
  url?: string | undefined;
}

export type VerifyReason =
  | "missing_header"
  | "malformed_header"
  | "no_matching_signature"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "no_secret"
  | "unknown_provider"
  | "malformed_key"
  | "missing_url";

export type VerifyResult =
  | { valid: true; provider: string; signedAt?: number | undefined }
  | { valid: false; provider: string; reason: VerifyReason; hint?: string | undefined };

/** Why a delivery attempt is being retried, as the provider reports it (Slack's X-Slack-Retry-Reason). */
export type RetryCause = "http_error" | "timeout" | "connection_failed";

export interface RetryPolicy {
  /** Waits before each retry, in seconds: [wait before attempt 2, wait before attempt 3, ...]. Empty: no retries. */
  delaysSec: readonly number[];
  /** The documentation the schedule follows. */
  docs: string;
  /** Extra headers the provider puts on a retry (attempt >= 2). */
  retryHeaders?: (attempt: number, cause: RetryCause) => HeaderPairs;
}

/**
 * One place where a delivery names its event, as a handler reads it to deduplicate: a header, a member of a JSON body
 * (`id`, `data.id`, `events[*].id` for every item of an array), or a field of a form body. A JSON member may sit
 * `within` a form field that holds JSON (Mandrill's `mandrill_events`) or a claim of the JWT that is the body (Wix's
 * `data`). `example` is a value of the shape the provider sends (a sample event carries one); `optional` keys are on
 * some event types only (Twilio's CallSid is on voice callbacks, not on messages).
 */
export type DedupKey =
  | { readonly header: string; readonly example: string; readonly optional?: true }
  | { readonly json: string; readonly within?: DedupContainer; readonly example: string | number; readonly optional?: true }
  | { readonly form: string; readonly example: string; readonly optional?: true };

/** Where a JSON key's document is, when it is not the body itself. */
export type DedupContainer = { readonly form: string } | { readonly jwtClaim: string };

/**
 * What the sender's repeated attempts of one event look like on the wire:
 * - `resigned`: each attempt is signed when it is sent (a later timestamp or a new token), so a retry's signature
 *   bytes differ from the first attempt's (Stripe, Svix and Standard Webhooks, Slack, every JWT sender);
 * - `same-bytes`: retries and redeliveries repeat the first attempt's bytes (GitHub's redeliveries, Amazon SNS, and
 *   every scheme that signs no time).
 */
export type AttemptSigning = "resigned" | "same-bytes";

export interface Deduplication {
  /** Where a delivery names its event; every key present on a delivery is renewed by a fresh event. */
  readonly keys: readonly DedupKey[];
  readonly attempts: AttemptSigning;
  /** The documentation that says how to deduplicate, where the provider publishes it. */
  readonly docs?: string;
}

/**
 * A sender that, while a secret is being rolled, signs each delivery with the old secret and the new one and writes
 * both signatures into its signature header (Stripe: several `v1=`; Standard Webhooks and Svix: several `v1,`
 * entries). A handler must accept a delivery whose first signature is under a secret it no longer has.
 */
export interface SignatureRotation {
  /** The signature header's value with both signatures: `previous`'s (the old secret) first, then `current`'s. */
  combine(previous: string, current: string): string;
  readonly docs: string;
}

/**
 * What a provider declares about its deliveries beside its signature scheme: what a handler deduplicates on, and,
 * where known, the event it sends and how it writes its JSON. Every scheme builder takes it and hands it on as it is.
 */
export interface DeliveryKnowledge {
  /** Where the provider names the kind of each event (see Provider.eventType). */
  eventType?: EventTypeRule | undefined;
  /** How long the provider waits for an answer (see Provider.deadlineMs), and whether it publishes that. */
  deadlineMs: number;
  deadlinePublished?: boolean | undefined;
  /** When the provider retries a failed delivery (see Provider.retry). */
  retry: RetryPolicy;
  /** What a handler deduplicates on, and what retries look like (see Provider.dedup). */
  dedup: Deduplication;
  /** The event this provider sends, for `check` and the fixtures (see Provider.sample). */
  sample?: SampleEvent;
  /** How the provider writes its JSON bodies, where known (see Provider.jsonShape). */
  jsonShape?: JsonShape;
}

/** The DeliveryKnowledge of a builder's spec, for the provider it builds (absent members stay absent). */
export function deliveryKnowledgeOf(
  spec: DeliveryKnowledge,
): Pick<Provider, "eventType" | "deadlineMs" | "deadlinePublished" | "retry" | "dedup" | "sample" | "jsonShape"> {
  return {
    ...(spec.eventType === undefined ? {} : { eventType: spec.eventType }),
    deadlineMs: spec.deadlineMs,
    ...(spec.deadlinePublished === true ? { deadlinePublished: true } : {}),
    retry: spec.retry,
    dedup: spec.dedup,
    ...(spec.sample === undefined ? {} : { sample: spec.sample }),
    ...(spec.jsonShape === undefined ? {} : { jsonShape: spec.jsonShape }),
  };
}

export interface Provider {
  /** Lower-case id (`stripe`, `standard-webhooks`). */
  readonly id: string;
  readonly name: string;
  readonly kind: SchemeKind;
  /**
   * The provider whose scheme this one is, unchanged but for its name and docs (Clerk and Resend deliver through
   * Svix; WhatsApp is Meta's): an alias is never auto-detected over the scheme it shares headers with.
   */
  readonly aliasOf?: string;
  /**
   * False when a valid signature says nothing about the body (monday.com's Authorization JWT, like a token scheme):
   * the failure hints say so, and a changed body still verifies. Absent: the body is covered.
   */
  readonly coversBody?: false;
  /**
   * What `--secret` takes when the kind does not say it: Basic credentials (`user:password`) for a token scheme that
   * sends them as `Authorization: Basic`, an RSA key pair for a JWT scheme signed with RS256 (Wix). secrets.ts's
   * secretFormOf says it for every provider.
   */
  readonly secretForm?: "basic" | "rsa-key-pair";
  /** Lower-case header names that identify a delivery; the first is the signature header. */
  readonly headers: readonly string[];
  /** Where this provider names the kind of each event (`invoice.paid`); absent when it names none. */
  readonly eventType?: EventTypeRule;
  /** How old a signed timestamp may be, in seconds; null when the scheme signs no timestamp. */
  readonly toleranceSec: number | null;
  /** True when timestamps too far in the future are rejected too (Standard Webhooks). */
  readonly rejectsFuture: boolean;
  /** How long the provider waits for the handler before it counts the attempt as failed, in ms. */
  readonly deadlineMs: number;
  /** True when the provider documents that deadline; otherwise it is hooktape's assumption (said so in `check`). */
  readonly deadlinePublished?: boolean;
  readonly retry: RetryPolicy;
  /** How a handler tells this provider's events apart, and what the sender's repeated attempts look like. */
  readonly dedup: Deduplication;
  /** How the provider writes its JSON bodies, where known (samples are written so); see jsonShapeOf. */
  readonly jsonShape?: JsonShape;
  /** The event this provider sends, where hooktape has one shaped like its deliveries; else check sends a generic one. */
  readonly sample?: SampleEvent;
  /** How the sender signs during a secret rotation, when it signs with the old and the new secret at once. */
  readonly rotation?: SignatureRotation;
  /** The provider documentation this scheme follows. */
  readonly docs: string;
  /** True when these headers look like a delivery of this provider. */
  detect(headers: HeaderPairs): boolean;
  /** Signs; throws a TypeError for an empty secret and a KeyFormatError for an unusable key. */
  sign(input: SignInput): SignOutput;
  /** Verifies against any of the secrets (rotation); never throws for a bad request, only returns a reason. */
  verify(request: VerifyRequest, secrets: readonly string[], options: VerifyOptions): VerifyResult;
  /** The unix-seconds timestamp a request claims, for schemes that sign one; null otherwise. */
  timestampOf?(request: VerifyRequest): number | null;
  /**
   * For schemes that carry their signature inside the body (Adyen's per-item hmacSignature), where no header can be
   * broken or dropped: the forgeries `check` makes there. Each returns null when this body carries no such signature.
   */
  readonly bodySignature?: BodySignatureForgeries;
}

export interface BodySignatureForgeries {
  /** The body with one character of each signature in it changed. */
  tamper(body: Buffer): Buffer | null;
  /** The body with its signatures removed. */
  drop(body: Buffer): Buffer | null;
  /** The body with a value the signature covers changed (Adyen signs some fields, not the bytes). */
  tamperSigned(body: Buffer): Buffer | null;
  /**
   * For a batch whose items are signed one by one (Adyen's notification items): a handler that checks only the
   * first item accepts a forged second one. `widen` makes a batch of two before signing (the first item and a copy
   * naming another event); `tamper` changes a signed value of the second item only, after signing.
   */
  readonly laterItem?: { widen(body: Buffer): Buffer | null; tamper(body: Buffer): Buffer | null };
}

/** A key that is not in any accepted format; the message says which formats are expected. */
export class KeyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyFormatError";
  }
}
