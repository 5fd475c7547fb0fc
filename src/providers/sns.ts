import { setJsonPath, tamperSignatureValue, unsetJsonPath } from "../core/mutate.js";
import { defineCertificateScheme, keyUrlRefusal, SIGNATURE_ADVICE, strictBase64 } from "./schemes/certificate.js";
import { eventTypeFrom, header, json } from "./event-type.js";
import { findHeader } from "./headers.js";
import type { SignOutput } from "./types.js";

/** AWS's own pattern (aws-js-sns-message-validator index.js; docs "Verifying the signatures of Amazon SNS messages"). */
const SNS_HOST_RE = /^sns\.[a-zA-Z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;

/** SNS certificates come from sns.<region>.amazonaws.com[.cn], as a .pem file. */
function snsKeyUrl(url: URL): string | null {
  if (!SNS_HOST_RE.test(url.hostname.toLowerCase())) return `${url.href} is not on sns.<region>.amazonaws.com`;
  return url.pathname.endsWith(".pem") ? null : `${url.href} does not name a .pem file`;
}

// Amazon SNS: https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html — the signature is in the
// JSON body: `key\nvalue\n` for a fixed list of keys per Type, in that order, present ones only; SignatureVersion 1 is
// SHA1withRSA, 2 SHA256withRSA; the certificate at SigningCertURL, whose host must be sns.<region>.amazonaws.com.
const SNS_KEYS: Readonly<Record<string, readonly string[]>> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
  UnsubscribeConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
};

type SnsMessage = Record<string, unknown>;

function parseSns(body: Buffer): SnsMessage | null {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as SnsMessage) : null;
  } catch {
    return null;
  }
}

function snsCanonical(message: SnsMessage, type: string): Buffer | string {
  let text = "";
  for (const key of SNS_KEYS[type] ?? []) {
    const value = message[key];
    if (value === undefined || (key === "Subject" && value === null)) continue;
    if (typeof value !== "string") return `${key} is not a string`;
    text += `${key}\n${value}\n`;
  }
  return Buffer.from(text, "utf8");
}

/** SNS writes its JSON two-space indented with `" : "` between key and value (the docs' examples, real deliveries). */
export function snsJson(message: SnsMessage): string {
  return JSON.stringify(message, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, "$1 : ");
}

export const sns = defineCertificateScheme({
  id: "sns",
  // https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html — the signature fields are written in by
  // `sign`, after Timestamp, as SNS orders them.
  sample: (ids, nowMs) => ({
    value: {
      Type: "Notification",
      MessageId: ids.uuid(),
      TopicArn: "arn:aws:sns:eu-west-1:123456789012:hooktape-orders",
      Subject: "Commande reçue — Zoë",
      Message: JSON.stringify({ order: ids.token(), note: "café crème", url: "https://example.com/orders/1" }),
      Timestamp: new Date(nowMs).toISOString(),
      UnsubscribeURL: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-west-1:123456789012:hooktape-orders:hooktape",
    },
    headers: [["Content-Type", "text/plain; charset=UTF-8"]],
  }),
  // The docs' examples and real deliveries: two-space indent with " : ".
  jsonShape: { indent: 2, spacedColon: true },
  name: "Amazon SNS",
  docs: "https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html",
  keyType: "rsa",
  // The signature lives in the body; these headers name a delivery.
  headers: ["x-amz-sns-message-type", "x-amz-sns-message-id", "x-amz-sns-topic-arn"],
  // https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html — `Type` (`Notification`, `SubscriptionConfirmation`).
  eventType: eventTypeFrom(json("Type"), header("x-amz-sns-message-type")),
  detect: (headers) => findHeader(headers, "x-amz-sns-message-type") !== undefined,
  read(request) {
    const message = parseSns(request.body);
    if (message === null) return { reason: "missing_header", hint: "the body is not an SNS message (JSON with Type, Signature, SigningCertURL)" };
    const { Type: type, Signature: sig, SigningCertURL: certUrl, SignatureVersion: version } = message;
    if (typeof sig !== "string" || typeof certUrl !== "string") return { reason: "missing_header", hint: "no Signature or SigningCertURL in the body" };
    if (typeof type !== "string" || SNS_KEYS[type] === undefined) return { reason: "malformed_header", hint: `Type ${String(type)} is none of ${Object.keys(SNS_KEYS).join(", ")}` };
    if (version !== "1" && version !== "2") return { reason: "malformed_header", hint: `SignatureVersion ${String(version)} is not 1 (SHA1withRSA) or 2 (SHA256withRSA)` };
    // Enforced whatever key is given: AWS's validators refuse a certificate from anywhere else before fetching it.
    const refusal = keyUrlRefusal(certUrl, snsKeyUrl);
    if (refusal !== null) return { reason: "malformed_header", hint: `SigningCertURL refused: ${refusal} (a forged message can name any certificate)` };
    const signature = strictBase64(sig);
    if (signature === null) return { reason: "malformed_header", hint: "Signature is not base64" };
    const canonical = snsCanonical(message, type);
    if (typeof canonical === "string") return { reason: "malformed_header", hint: canonical };
    const signedAt = typeof message.Timestamp === "string" ? Date.parse(message.Timestamp) : Number.NaN;
    return {
      signature,
      digest: version === "1" ? "sha1" : "sha256",
      message: () => canonical,
      reference: { kind: "certificate", value: certUrl, fetchUrl: certUrl },
      ...(Number.isNaN(signedAt) ? {} : { signedAt: Math.floor(signedAt / 1000) }),
    };
  },
  write(input, signWith, names) {
    const message = parseSns(input.body);
    if (message === null || typeof message.Type !== "string" || SNS_KEYS[message.Type] === undefined) {
      throw new TypeError(`Amazon SNS signs inside its JSON message: the body needs a Type (${Object.keys(SNS_KEYS).join(", ")}), MessageId, Message, Timestamp and TopicArn`);
    }
    // Version 2 (SHA256withRSA) unless the message asks for 1; the region from the topic's ARN.
    const version = message.SignatureVersion === "1" ? "1" : "2";
    const region = /^arn:aws(?:-[a-z]+)*:sns:([a-z0-9-]+):/.exec(String(message.TopicArn ?? ""))?.[1] ?? "us-east-1";
    const canonical = snsCanonical(message, message.Type);
    if (typeof canonical === "string") throw new TypeError(`Amazon SNS: ${canonical}`);
    const signed: SnsMessage = {};
    for (const [key, value] of Object.entries(message)) if (!["SignatureVersion", "Signature", "SigningCertURL"].includes(key)) signed[key] = value;
    const out: SnsMessage = {};
    // In SNS's own order: the signature fields after Timestamp, the rest as given.
    for (const [key, value] of Object.entries(signed)) {
      out[key] = value;
      if (key === "Timestamp") {
        out.SignatureVersion = version;
        out.Signature = signWith(canonical, version === "1" ? "sha1" : "sha256").toString("base64");
        out.SigningCertURL = `https://sns.${region}.amazonaws.com/SimpleNotificationService-${names.fingerprint}.pem`;
      }
    }
    if (out.Signature === undefined) {
      out.SignatureVersion = version;
      out.Signature = signWith(canonical, version === "1" ? "sha1" : "sha256").toString("base64");
      out.SigningCertURL = `https://sns.${region}.amazonaws.com/SimpleNotificationService-${names.fingerprint}.pem`;
    }
    const headers: SignOutput["headers"] = [
      ["x-amz-sns-message-type", message.Type],
      ["x-amz-sns-message-id", String(message.MessageId ?? input.id)],
      ["x-amz-sns-topic-arn", String(message.TopicArn ?? "")],
      ["Content-Type", "text/plain; charset=UTF-8"],
      ["User-Agent", "Amazon Simple Notification Service Agent"],
    ];
    return { headers, body: Buffer.from(snsJson(out), "utf8") };
  },
  missingKeyAdvice: SIGNATURE_ADVICE,
  refuseKeyUrl: snsKeyUrl,
  // The signature and what it covers are fields of the JSON message; a change to the last string of the body (the
  // generic forgery) would change UnsubscribeURL, which SNS does not sign. Each edit keeps every other byte.
  bodySignature: {
    tamper: (body) => {
      const signature = parseSns(body)?.Signature;
      return typeof signature === "string" ? setJsonPath(body, "Signature", JSON.stringify(tamperSignatureValue(signature))) : null;
    },
    drop: (body) => (typeof parseSns(body)?.Signature === "string" ? unsetJsonPath(body, "Signature") : null),
    tamperSigned: (body) => {
      const message = parseSns(body)?.Message;
      return typeof message === "string" ? setJsonPath(body, "Message", JSON.stringify(`${message} `)) : null;
    },
  },
  retry: {
    // https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.retry.html — "by default, if the initial delivery
    // of the message fails, Amazon SNS attempts up to three retries with a delay between failed attempts set at 20
    // seconds" (a topic's delivery policy can change it).
    delaysSec: [20, 20, 20],
    docs: "https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.retry.html",
  },
  // MessageId names the message, in the body (inside the signed string) and in x-amz-sns-message-id; SNS signs a
  // message once, so a retry repeats its bytes, Timestamp and Signature included.
  dedup: {
    keys: [
      { json: "MessageId", example: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324" },
      { header: "x-amz-sns-message-id", example: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324" },
    ],
    attempts: "same-bytes",
    docs: "https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html",
  },
  // Not published (the delivery-retries pages give no HTTP timeout); hooktape assumes 15 s.
  deadlineMs: 15_000,
});
