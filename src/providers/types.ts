import type { HeaderPairs } from "../core/types.js";
import type { EventTypeRule } from "./event-type.js";

/**
 * How a scheme proves authenticity: a shared-secret MAC, a public-key signature, a plain shared token, or a JSON Web
 * Token (HS256 with the shared secret, or RS256 with the sender's key pair), or the sender's own key named by a
 * certificate URL or key id (PayPal, Amazon SNS, Circle, eBay: src/providers/certificate.ts).
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
   * Set only by the rare schemes that carry the signature inside the body (Mailgun's `signature`
   * object): the body with the signature fields written in. Every other scheme leaves the body alone.
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
}

/** A key that is not in any accepted format; the message says which formats are expected. */
export class KeyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyFormatError";
  }
}
