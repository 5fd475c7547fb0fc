// A Stripe handler as people write them — express-style, stripe-node's constructEvent, an in-memory dedup —
// with one bug switched on at a time, each a bug seen in real handlers. With no bug switched on it is correct:
// it verifies the raw body with stripe-node, deduplicates by event id atomically, and answers at once (or, with
// `backgroundWorkMs`, acknowledges at once with 202 and does the work a moment later, as Stripe recommends).
// GET /state reports what it processed, for `check --probe`.
import Stripe from "stripe";
import { serveOnLoopback } from "../helpers/target-server.js";
import { handlerServer } from "./serve.js";

export interface StripeBugs {
  /** Verifies `JSON.stringify(JSON.parse(body))` (what `express.json()` + `JSON.stringify(req.body)` gives), not the raw bytes. */
  reserialises?: boolean;
  /** Never verifies the signature. */
  skipsVerification?: boolean;
  /** Verifies the signature but accepts any timestamp (`constructEvent(..., tolerance: Infinity)`). */
  ignoresTimestamp?: boolean;
  /** Verifies only when a Stripe-Signature header is present (`if (sig) constructEvent(...)`). */
  acceptsMissingSignature?: boolean;
  /** Answers this status instead of 400 to a bad signature (e.g. 404 "to hide the endpoint"). */
  rejectionStatus?: number;
  /** Answers 409 to an event id it has already seen. */
  conflictOnDuplicate?: boolean;
  /** Processes every delivery, duplicates included. */
  noDedup?: boolean;
  /** Checks `seen(id)`, awaits the work, and only then records the id: copies arriving together all pass the check. */
  racyDedup?: boolean;
  /** Answers 500 to a copy that arrives while the same event is still being processed (a unique-key violation surfacing). */
  failsOnConcurrentCopy?: boolean;
  /** Slow work (ms) done before answering. */
  workMs?: number;
  /** With workMs: the id is recorded after the slow work, so a retry during it is processed again. */
  recordsIdAfterWork?: boolean;
  /** The secret it verifies with, when not the one `check` signs with. */
  secret?: string;
  /** Deduplicates on the Stripe-Signature header instead of the event id (a retry is signed anew: another header). */
  dedupOnSignature?: boolean;
  /** Deduplicates on the object the event is about (`data.object.id`), so a new event about the same object is dropped. */
  dedupOnObjectId?: boolean;
  /** Verifies only the first `v1=` of Stripe-Signature (`header.split(",")` taking one), refusing deliveries signed during a secret roll. */
  firstSignatureOnly?: boolean;
  /**
   * Acknowledges at once with 202 and does the work in the background, up to this many ms later (a random delay each
   * time, a fifth of it at least), as a queue worker would. With `recordsIdAfterWork` the id is recorded only when that
   * work is done.
   */
  backgroundWorkMs?: number;
}

export interface BuggyHandler {
  url: string;
  processed: string[];
  answers: number[];
  close(): Promise<void>;
}

const stripe = new Stripe("sk_test_hooktape_handler");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startBuggyStripeHandler(secret: string, bugs: StripeBugs = {}): Promise<BuggyHandler> {
  const processed: string[] = [];
  const answers: number[] = [];
  const seen = new Set<string>();
  const inFlight = new Set<string>();

  const verify = (raw: Buffer, signature: string | undefined): Stripe.Event => {
    if (bugs.skipsVerification || (bugs.acceptsMissingSignature && signature === undefined)) return JSON.parse(raw.toString("utf8")) as Stripe.Event;
    const payload = bugs.reserialises ? JSON.stringify(JSON.parse(raw.toString("utf8"))) : raw;
    let header = signature ?? "";
    if (bugs.firstSignatureOnly) {
      const parts = header.split(",");
      header = [parts.find((p) => p.startsWith("t=")), parts.find((p) => p.startsWith("v1="))].filter(Boolean).join(",");
    }
    return stripe.webhooks.constructEvent(payload, header, bugs.secret ?? secret, bugs.ignoresTimestamp ? Number.MAX_SAFE_INTEGER : undefined);
  };

  const work = async (id: string): Promise<void> => {
    inFlight.add(id);
    // Background work takes a fifth of backgroundWorkMs at least, and all of it at most: a real job, never instant.
    await sleep(bugs.racyDedup ? 100 : bugs.backgroundWorkMs !== undefined ? bugs.backgroundWorkMs * (0.2 + 0.8 * Math.random()) : (bugs.workMs ?? 0));
    inFlight.delete(id);
    if (bugs.racyDedup || bugs.recordsIdAfterWork) seen.add(id);
    processed.push(id);
  };

  const handle = async (raw: Buffer, signature: string | undefined): Promise<[number, string]> => {
    let event: Stripe.Event;
    try {
      event = verify(raw, signature);
    } catch (error) {
      return [bugs.rejectionStatus ?? 400, `Webhook Error: ${(error as Error).message.split("\n")[0]}`];
    }
    const id = bugs.dedupOnSignature ? (signature ?? "") : bugs.dedupOnObjectId ? (event.data.object as { id: string }).id : event.id;
    if (bugs.failsOnConcurrentCopy && inFlight.has(id)) return [500, "duplicate key value violates unique constraint"];
    if (!bugs.noDedup && seen.has(id)) return bugs.conflictOnDuplicate ? [409, "already processed"] : [200, '{"received":true,"duplicate":true}'];
    if (!bugs.noDedup && !bugs.racyDedup && !bugs.recordsIdAfterWork) seen.add(id);
    if (bugs.backgroundWorkMs !== undefined) {
      void work(id);
      return [202, '{"received":true}'];
    }
    await work(id);
    return [200, '{"received":true}'];
  };

  const server = handlerServer(
    () => ({ processed: processed.length, ids: processed }),
    (req, body, res) => {
      void handle(body, req.headers["stripe-signature"] as string | undefined).then(([status, text]) => {
        answers.push(status);
        if (!res.destroyed) res.writeHead(status, { "content-type": text.startsWith("{") ? "application/json" : "text/plain" }).end(text);
      });
    },
  );
  return {
    ...(await serveOnLoopback(server)),
    processed,
    answers,
  };
}
