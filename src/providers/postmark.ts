import { defineBasicAuthScheme } from "./schemes/basic-auth.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://postmarkapp.com/developer/webhooks/webhooks-overview#protecting-your-webhook — credentials put in the
// webhook URL (https://user:password@host/...), which Postmark sends as Basic auth.
export const postmark = defineBasicAuthScheme({
  id: "postmark",
  // https://postmarkapp.com/developer/webhooks/delivery-webhook — a Delivery record, named by the message's MessageID.
  sample: (ids, nowMs) => ({
    value: {
      RecordType: "Delivery",
      ServerID: 23,
      MessageStream: "outbound",
      MessageID: ids.uuid(),
      Recipient: "zoë@example.com",
      Tag: "welcome-email",
      DeliveredAt: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      Details: "Test delivery webhook details — café / order",
      Metadata: { a_key: "a_value" },
    },
  }),
  name: "Postmark",
  docs: "https://postmarkapp.com/developer/webhooks/webhooks-overview",
  // https://postmarkapp.com/developer/webhooks/webhooks-overview — `RecordType` (`Delivery`, `Bounce`).
  eventType: eventTypeFrom(json("RecordType")),
  retry: {
    // Same page ("Webhook retries"): 1 min, 5 min, 10 min, 10 min, 10 min, 15 min, 30 min, 1 h, 2 h, 6 h.
    delaysSec: [60, 300, 600, 600, 600, 900, 1800, 3600, 7200, 21_600],
    docs: "https://postmarkapp.com/developer/webhooks/webhooks-overview",
  },
  // A delivery, bounce, open or click is about one message: MessageID (with RecordType) names the event. Basic
  // credentials sign nothing, so a retry repeats the bytes.
  dedup: { keys: [{ json: "MessageID", example: "883953f4-6105-42a2-a16a-77a8eac79483" }], attempts: "same-bytes" },
  // Not published; assumed 10 s.
  deadlineMs: 10_000,
});
