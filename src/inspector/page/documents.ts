/**
 * The JSON documents the server sends — the same as the CLI's `--json` — are declared once, in
 * src/documents/json-types.ts, which the server's functions return; here they get the names the page uses.
 */
export type {
  AttemptJson as Attempt,
  DeliveryJson as Delivery,
  EventDetailJson as EventDetail,
  EventPageJson as EventPage,
  EventSummaryJson as EventSummary,
  HeaderPairsJson as HeaderPairs,
  InspectorInfoJson as InspectorInfo,
  PreviewJson as Preview,
  ReplayJson as ReplayResult,
  RunStatusJson as RunStatus,
  SentRequestJson as SentRequest,
  SigningJson as Signing,
  VerificationStatusJson as VerificationStatus,
} from "../../documents/json-types.js";

/** The body of `POST /api/events/<id>/replay` and `/preview`, as the page sends it. */
export interface ReplayOptions {
  to?: string;
  times?: number;
  concurrency?: number;
  resign?: boolean;
  headers?: string[];
  dropHeaders?: string[];
  body?: string;
  tamper?: "signature" | "body" | "timestamp";
  stale?: string;
  preview?: string;
}
