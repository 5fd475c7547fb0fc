import { createHmac, type KeyObject } from "node:crypto";
import { setJsonPath, unsetJsonPath } from "../core/mutate.js";
import { assertSecrets, failureFor, mismatchHint } from "./checks.js";
import { safeEqual } from "./compare.js";
import { findHeader } from "./headers.js";
import { KeyFormatError, type Provider, type VerifyRequest, type VerifyResult } from "./types.js";
import { createKeyCache } from "./hmac-key.js";
import { eventTypeFrom, json } from "./event-type.js";

// https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures — two forms, one key
// format (the hex HMAC key the Customer Area shows, hex-decoded), and one provider id, so that a user with an Adyen
// account needs to know nothing more than "adyen":
// - Standard (payments) webhooks carry the signature INSIDE the body, one per notification item:
//   `notificationItems[].NotificationRequestItem.additionalData.hmacSignature` = base64 HMAC-SHA256 of
//   `pspReference:originalReference:merchantAccountCode:merchantReference:amount.value:amount.currency:eventCode:success`,
//   a missing field written as "" and nothing escaped (@adyen/api-library `HmacValidator.getDataToSign`). Only those
//   fields are signed, not the bytes: a re-serialised body still verifies, a changed amount does not. A delivery is
//   valid only when every item verifies; the verdict names the first that does not.
// - Balance Platform, Management and classic platform webhooks sign the whole body: header `HmacSignature` = base64
//   HMAC-SHA256 of the raw body, with `Protocol: HmacSHA256` (HmacValidator `validateHMACSignature`; docs
//   classic-platforms/configure-notifications/signing-notifications-with-hmac). When that header is present it is the
//   one checked; it also identifies the delivery (standard webhooks carry no header of their own: --provider adyen).
const DOCS = "https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures";
const HEX_KEY_RE = /^(?:[0-9a-fA-F]{2})+$/;
const ITEM_PATH = (index: number) => `notificationItems[${index}].NotificationRequestItem`;

/** The key: Adyen's HMAC keys are hex (hex-decoded, as a KeyObject made once per key); anything else is not one. */
const keyOf = createKeyCache((secret) => (HEX_KEY_RE.test(secret) ? Buffer.from(secret, "hex") : null));

interface NotificationItem {
  index: number;
  /** What Adyen signs for this item. */
  signed: string;
  /** additionalData.hmacSignature as sent; undefined when absent. */
  signature: string | undefined;
  pspReference: string;
  /** amount.value as a number, when the item has one (the field `check` changes to forge a signed value). */
  amountValue: number | undefined;
}

function text(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

/**
 * The notification items of a standard webhook body, or null when the body is not one (no `notificationItems`
 * array). An item without a NotificationRequestItem object reads as all fields missing, as the SDK would sign it.
 */
function readItems(body: Buffer): NotificationItem[] | null {
  // Cheap test before parsing: a Balance Platform body (or any other) never pays for JSON.parse here.
  if (body.indexOf("notificationItems") === -1) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  const list = parsed !== null && typeof parsed === "object" ? (parsed as { notificationItems?: unknown }).notificationItems : undefined;
  if (!Array.isArray(list)) return null;
  return list.map((wrapper: unknown, index): NotificationItem => {
    const raw = wrapper !== null && typeof wrapper === "object" ? (wrapper as { NotificationRequestItem?: unknown }).NotificationRequestItem : undefined;
    const item = (raw !== null && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
    const amount = (item.amount !== null && typeof item.amount === "object" ? item.amount : {}) as Record<string, unknown>;
    const extra = item.additionalData !== null && typeof item.additionalData === "object" ? (item.additionalData as Record<string, unknown>) : {};
    const signature = typeof extra.hmacSignature === "string" ? extra.hmacSignature : undefined;
    const fields = [item.pspReference, item.originalReference, item.merchantAccountCode, item.merchantReference, amount.value, amount.currency, item.eventCode, item.success];
    return {
      index,
      signed: fields.map(text).join(":"),
      signature,
      pspReference: text(item.pspReference),
      amountValue: typeof amount.value === "number" ? amount.value : undefined,
    };
  });
}

/** The raw `notificationItems` array of a standard webhook body, or null. */
function notificationItemsOf(body: Buffer): unknown[] | null {
  if (body.indexOf("notificationItems") === -1) return null;
  try {
    const list = (JSON.parse(body.toString("utf8")) as { notificationItems?: unknown } | null)?.notificationItems;
    return Array.isArray(list) ? list : null;
  } catch {
    return null;
  }
}

function digest(key: KeyObject, content: string | Buffer): string {
  return createHmac("sha256", key).update(content).digest("base64");
}

function itemLabel(item: NotificationItem, count: number): string {
  const psp = item.pspReference === "" ? "" : ` (pspReference ${item.pspReference})`;
  return `notification item ${item.index + 1} of ${count}${psp}`;
}

const fail = failureFor("adyen");

/** Writes a value into every item's additionalData.hmacSignature, keeping every other byte of the body. */
function writeItemSignatures(body: Buffer, items: readonly NotificationItem[], valueOf: (item: NotificationItem) => string): Buffer {
  let out = body;
  for (const item of items) out = setJsonPath(out, `${ITEM_PATH(item.index)}.additionalData.hmacSignature`, JSON.stringify(valueOf(item)), { create: true });
  return out;
}

/** One character of a base64 signature changed, in the middle (the last may carry only padding bits). */
function alterSignature(signature: string): string {
  const at = Math.floor(signature.length / 2);
  const char = signature[at] ?? "A";
  return signature.slice(0, at) + (char === "A" ? "B" : "A") + signature.slice(at + 1);
}

export const adyen: Provider = {
  id: "adyen",
  // https://docs.adyen.com/api-explorer/Webhooks/latest/post/AUTHORISATION — a standard webhook is a batch of
  // notification items; `sign` writes each item's additionalData.hmacSignature in.
  sample: (ids, nowMs) => ({
    value: {
      live: "false",
      notificationItems: [
        {
          NotificationRequestItem: {
            additionalData: { authCode: "123456", cardSummary: "1111", expiryDate: "03/2030", shopperName: "Zoë Müller" },
            amount: { currency: "EUR", value: 2000 },
            eventCode: "AUTHORISATION",
            eventDate: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "+00:00"),
            merchantAccountCode: "HooktapeECOM",
            merchantReference: `Café-order-${ids.token()}`,
            operations: ["CANCEL", "CAPTURE", "REFUND"],
            paymentMethod: "visa",
            pspReference: ids.token(8).toUpperCase(),
            reason: "123456:1111:03/2030",
            success: "true",
          },
        },
      ],
    },
  }),
  // Adyen's own notification module (Adyen/adyen-commercetools notification/README.md) shows a delivery as Adyen
  // sends it: two-space pretty JSON with `/` written as `\/`. Adyen signs fields, not bytes, so this shape is for
  // realism.
  jsonShape: { indent: 2, escapeSlash: true },
  name: "Adyen",
  kind: "hmac",
  headers: ["hmacsignature", "protocol"],
  // https://docs.adyen.com/development-resources/webhooks/webhook-types/ — standard webhooks name each item's `eventCode` (`AUTHORISATION`); the newer ones a `type` (`balancePlatform.transfer.created`).
  eventType: eventTypeFrom(json("notificationItems[0].NotificationRequestItem.eventCode"), json("type")),
  toleranceSec: null,
  rejectsFuture: false,
  // https://docs.adyen.com/development-resources/webhooks — "If we don't receive a response within 10 seconds, the
  // webhook times out" (Hookdeck's Adyen timeout guide quotes the same figure).
  deadlineMs: 10_000,
  deadlinePublished: true,
  retry: {
    // https://docs.adyen.com/development-resources/webhooks/troubleshoot — three immediate retries, then the retry
    // queue: 2 min, 5 min, 10 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h (then every 8 h for up to 30 days).
    delaysSec: [0, 0, 0, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800],
    docs: "https://docs.adyen.com/development-resources/webhooks/troubleshoot",
  },
  // Each item is named by its pspReference (with its eventCode); a retry repeats the batch and its signatures.
  dedup: {
    keys: [{ json: "notificationItems[*].NotificationRequestItem.pspReference", example: "ABCD1234EFGH5678" }],
    attempts: "same-bytes",
    docs: "https://docs.adyen.com/development-resources/webhooks/best-practices",
  },
  docs: DOCS,
  detect: (headers) => findHeader(headers, "hmacsignature") !== undefined,

  sign(input) {
    assertSecrets([input.secret]);
    const key = keyOf(input.secret);
    if (key === null) throw new KeyFormatError("Adyen: the HMAC key is the hex string the Customer Area shows (64 hex characters)");
    const items = readItems(input.body);
    if (items === null || items.length === 0) {
      return { headers: [["HmacSignature", digest(key, input.body)], ["Protocol", "HmacSHA256"]] };
    }
    // A standard webhook: the signatures go into the body, every other byte as it was.
    return { headers: [], body: writeItemSignatures(input.body, items, (item) => digest(key, item.signed)) };
  },

  verify(request: VerifyRequest, secrets, _options): VerifyResult {
    assertSecrets(secrets);
    const header = findHeader(request.headers, "hmacsignature");
    const items = header === undefined ? readItems(request.body) : null;
    if (header === undefined && (items === null || items.length === 0)) {
      return fail("missing_header", "no HmacSignature header, and no notificationItems[].NotificationRequestItem.additionalData.hmacSignature in the body");
    }
    if (header !== undefined) {
      const protocol = findHeader(request.headers, "protocol");
      if (protocol !== undefined && protocol.trim() !== "HmacSHA256") return fail("malformed_header", `Protocol "${protocol}" is not HmacSHA256, the only one Adyen uses`);
    }
    const unsigned = items?.find((item) => item.signature === undefined);
    if (items !== null && unsigned !== undefined) {
      return fail("missing_header", `${itemLabel(unsigned, items.length)} has no additionalData.hmacSignature — is HMAC signing enabled for this webhook?`);
    }
    if (secrets.length === 0) return { valid: false, provider: "adyen", reason: "no_secret" };
    const keys = secrets.map(keyOf).filter((key): key is KeyObject => key !== null);
    if (keys.length === 0) return fail("malformed_key", "the secret is not an Adyen HMAC key (hex, as the Customer Area shows it)");

    if (header !== undefined) {
      const received = header.trim();
      if (keys.some((key) => safeEqual(digest(key, request.body), received))) return { valid: true, provider: "adyen" };
      return fail("no_matching_signature", mismatchHint(secrets));
    }
    const list = items as NotificationItem[];
    // Each item on its own: during a key change Adyen may still sign with the previous key for a while.
    for (const item of list) {
      const received = (item.signature as string).trim();
      if (keys.some((key) => safeEqual(digest(key, item.signed), received))) continue;
      const whitespace = secrets.some((s) => s.trim() !== s);
      return fail(
        "no_matching_signature",
        `${itemLabel(item, list.length)} does not match: ${whitespace ? mismatchHint(secrets) : "a signed field (pspReference, originalReference, merchantAccountCode, merchantReference, amount, eventCode, success) differs from what was signed, or the HMAC key is not this webhook's"}`,
      );
    }
    return { valid: true, provider: "adyen" };
  },

  bodySignature: {
    tamper: (body) => {
      const items = readItems(body);
      if (items === null || items.length === 0 || items.some((item) => item.signature === undefined)) return null;
      return writeItemSignatures(body, items, (item) => alterSignature(item.signature as string));
    },
    drop: (body) => {
      const items = readItems(body);
      if (items === null || items.length === 0) return null;
      let out = body;
      for (const item of items) {
        if (item.signature !== undefined) out = unsetJsonPath(out, `${ITEM_PATH(item.index)}.additionalData.hmacSignature`);
      }
      return out;
    },
    tamperSigned: (body) => {
      const items = readItems(body);
      const first = items?.[0];
      if (first === undefined) return null;
      // amount.value is signed; so is pspReference, the fallback for an item without an amount.
      if (first.amountValue !== undefined) return setJsonPath(body, `${ITEM_PATH(0)}.amount.value`, String(first.amountValue + 1));
      return setJsonPath(body, `${ITEM_PATH(0)}.pspReference`, JSON.stringify(`${first.pspReference}0`));
    },
    laterItem: {
      widen: (body) => {
        const list = notificationItemsOf(body);
        const first = list?.[0] as { NotificationRequestItem?: Record<string, unknown> } | undefined;
        if (list === null || first?.NotificationRequestItem === undefined) return null;
        // A second event of the same batch: the first item under another pspReference (Adyen batches items of
        // different payments), its signature left for `sign` to write.
        const item = { ...first.NotificationRequestItem, pspReference: `${text(first.NotificationRequestItem.pspReference)}2` };
        return setJsonPath(body, `notificationItems[${list.length}]`, JSON.stringify({ NotificationRequestItem: item }), { create: true });
      },
      tamper: (body) => {
        const second = readItems(body)?.[1];
        if (second === undefined) return null;
        if (second.amountValue !== undefined) return setJsonPath(body, `${ITEM_PATH(1)}.amount.value`, String(second.amountValue + 1));
        return setJsonPath(body, `${ITEM_PATH(1)}.pspReference`, JSON.stringify(`${second.pspReference}0`));
      },
    },
  },
};
