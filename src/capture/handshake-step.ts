import { newDeliveryId } from "../core/ids.js";
import type { CapturedEvent, DeliveryAttempt } from "../core/types.js";
import type { DeliveryResult } from "../forward/index.js";
import { isCorrectAnswer, type Handshake, type HandshakeAnswer, type HandshakeMode } from "./handshakes.js";

/** What the listen line and its `--json` record say about a handshake. */
export interface HandshakeNotice {
  provider: string;
  /** "Zoom endpoint.url_validation" */
  name: string;
  /** Whose answer the sender got. */
  answeredBy: "hooktape" | "handler";
  /** forward-first: what the handler answered before hooktape did (null: it was not asked). */
  handler: { status: number | null; error: string | null } | null;
}

/** The delivery attempts' target for answers hooktape gave itself. */
export const HANDSHAKE_TARGET = "hooktape";

/** What the capture server lends the handshake step: its socket, its forwarding, its store and its notices. */
export interface HandshakeContext {
  mode: Exclude<HandshakeMode, "off">;
  event: CapturedEvent;
  ack: number | null;
  now: () => number;
  /** Forwards the event to the handler and records that attempt (no notice). */
  forward(target: string): Promise<DeliveryResult>;
  reply(answer: HandshakeAnswer): void;
  replyWithHandler(result: DeliveryResult): void;
  record(attempt: DeliveryAttempt): Promise<void>;
  announce(delivery: { status: number | null; error: string | null; durationMs: number } | null, handshake: HandshakeNotice): void;
  warn(message: string): void;
}

/**
 * Answers a recognised handshake as `--handshakes` says; true when the request is dealt with, false when it goes on
 * as any request does (hooktape has no answer: the line says which flag or variable would give it one).
 *
 * - `answer` (default), or no handler to forward to: hooktape answers; the handler is not asked.
 * - `forward-first`: the handler answers first; its answer goes back when it is a correct one, else hooktape's does.
 *   Under `--ack` there is no waiting for the handler: hooktape answers at once and forwards in the background.
 *
 * What hooktape answered is recorded as a delivery attempt of kind `handshake` (target `hooktape`) with the answer's
 * headers and body. The body is what the wire carried: an echo of the provider's challenge, or a digest keyed with
 * the secret (Zoom's encryptedToken, X's response_token, eBay's challengeResponse) — never the secret itself, and
 * (HMAC and SHA-256 being one-way) nothing the secret can be recovered from.
 */
export async function runHandshake(handshake: Handshake, context: HandshakeContext): Promise<boolean> {
  const { event } = context;
  const answer = handshake.answer;
  if (answer === null) {
    context.warn(`${handshake.name} not answered: ${handshake.unanswered}${event.target ? "; forwarded to the handler" : ""}`);
    return false;
  }
  const notice = (answeredBy: HandshakeNotice["answeredBy"], handler: HandshakeNotice["handler"]): HandshakeNotice => ({
    provider: handshake.provider,
    name: handshake.name,
    answeredBy,
    handler,
  });

  if (context.mode === "answer" || event.target === null) {
    const attempt = await answerItself(answer, context);
    context.announce(attempt, notice("hooktape", null));
    return true;
  }
  if (context.ack !== null) {
    const attempt = await answerItself(answer, context);
    const result = await context.forward(event.target);
    context.announce(attempt, notice("hooktape", { status: result.status, error: result.error }));
    return true;
  }
  const result = await context.forward(event.target);
  const complete = result.responseBody.length === result.responseSize;
  if (isCorrectAnswer(handshake, { status: result.status, body: result.responseBody, complete })) {
    context.replyWithHandler(result);
    context.announce({ status: result.status, error: result.error, durationMs: result.durationMs }, notice("handler", null));
    return true;
  }
  const attempt = await answerItself(answer, context);
  context.announce(attempt, notice("hooktape", { status: result.status, error: result.error }));
  return true;
}

/** Sends hooktape's answer, then records it as a `handshake` attempt. */
async function answerItself(answer: HandshakeAnswer, context: HandshakeContext): Promise<DeliveryAttempt> {
  const startedAt = context.now();
  context.reply(answer);
  const attempt: DeliveryAttempt = {
    eventId: context.event.id,
    kind: "handshake",
    deliveryId: newDeliveryId(),
    attempt: 1,
    target: HANDSHAKE_TARGET,
    method: context.event.method,
    status: answer.status,
    error: null,
    durationMs: Math.max(0, context.now() - startedAt),
    startedAt,
    responseHeaders: answer.headers,
    responseBody: answer.body,
    responseSize: answer.body.length,
    // Nothing went out: hooktape answered the sender itself.
    request: null,
  };
  await context.record(attempt);
  return attempt;
}
