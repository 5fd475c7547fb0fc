// A webhook handler written the way providers ask: it verifies the signature over the raw body with the
// provider's official SDK (stripe-node, standardwebhooks, svix, @octokit/webhooks-methods, @adyen/api-library,
// sns-validator, @vonage/jwt; Postmark's Basic credentials in plain code, as it has no SDK for them), rejects anything
// that does not verify with 400, deduplicates by the event id the provider documents (answering 200 to every copy,
// processing one), and answers at once. GET /state reports what it processed, for `check --probe`.
import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import { verify as verifyGithub } from "@octokit/webhooks-methods";
import { verifySignature as verifyVonage } from "@vonage/jwt";
import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import { Webhook as SvixWebhook } from "svix/dist/webhook.js";
import { HmacValidator as AdyenHmacValidator } from "../helpers/adyen-hmac-validator.js";
import { headerRecord, pairs } from "../helpers/headers.js";
import { serveOnLoopback } from "../helpers/target-server.js";

export type HandledProvider = "stripe" | "standard-webhooks" | "svix" | "github" | "adyen" | "sns" | "vonage" | "postmark";

const require = createRequire(import.meta.url);
type SnsCallback = (error: Error | null, message?: Record<string, string>) => void;
// aws/aws-js-sns-message-validator: it fetches the certificate at SigningCertURL with https.get (a test routes that
// to a loopback server, since the real one is on AWS).
const SnsMessageValidator = require("sns-validator") as new () => { validate(message: string, cb: SnsCallback): void };

export interface Handler {
  url: string;
  port: number;
  /** Event ids processed once each. */
  processed: string[];
  /** Every status answered, in order. */
  answers: number[];
  close(): Promise<void>;
}

const stripe = new Stripe("sk_test_hooktape_handler");

/** Verifies and returns the event id to deduplicate by, or throws. */
async function verifyAndIdentify(provider: HandledProvider, secret: string, body: Buffer, headers: Record<string, string>): Promise<string> {
  const text = body.toString("utf8");
  switch (provider) {
    case "stripe": {
      const event = stripe.webhooks.constructEvent(body, headers["stripe-signature"] ?? "", secret);
      return event.id;
    }
    case "standard-webhooks":
      new StandardWebhook(secret).verify(text, headers);
      return headers["webhook-id"] ?? "";
    case "svix":
      new SvixWebhook(secret).verify(text, headers);
      return headers["svix-id"] ?? "";
    case "github": {
      const signature = headers["x-hub-signature-256"];
      if (!signature || !(await verifyGithub(secret, text, signature))) throw new Error("bad signature");
      return headers["x-github-delivery"] ?? "";
    }
    case "sns": {
      // SNS's own validator over the raw text; MessageId names the message (AWS: "use it to detect duplicates").
      const message = await new Promise<Record<string, string>>((resolve, reject) =>
        new SnsMessageValidator().validate(text, (error, validated) => (error === null && validated !== undefined ? resolve(validated) : reject(error ?? new Error("invalid")))),
      );
      return message.MessageId ?? "";
    }
    case "vonage": {
      // @vonage/jwt checks the token; the body is covered by its payload_hash claim, which the docs ask to compare.
      const token = (headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      if (!verifyVonage(token, secret)) throw new Error("bad signature");
      const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { payload_hash?: string };
      if (claims.payload_hash !== createHash("sha256").update(body).digest("hex")) throw new Error("the body does not match payload_hash");
      return (JSON.parse(text) as { message_uuid: string }).message_uuid;
    }
    case "postmark": {
      // The credentials configured on the webhook URL, compared in constant time; MessageID and RecordType name the event.
      const expected = Buffer.from(`Basic ${Buffer.from(secret, "utf8").toString("base64")}`);
      const given = Buffer.from(headers.authorization ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad credentials");
      const record = JSON.parse(text) as { MessageID: string; RecordType: string };
      return `${record.RecordType}:${record.MessageID}`;
    }
    case "adyen": {
      // Adyen's integration guide: validate every item's hmacSignature, deduplicate by pspReference + eventCode.
      const notification = JSON.parse(text) as { notificationItems: Array<{ NotificationRequestItem: Parameters<AdyenHmacValidator["validateHMAC"]>[0] }> };
      const validator = new AdyenHmacValidator();
      const ids = notification.notificationItems.map(({ NotificationRequestItem: item }) => {
        if (!validator.validateHMAC(item, secret)) throw new Error("bad signature");
        return `${item.pspReference}:${item.eventCode}`;
      });
      return ids.join(",");
    }
  }
}

export async function startCorrectHandler(provider: HandledProvider, secret: string): Promise<Handler> {
  const processed: string[] = [];
  const seen = new Set<string>();
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = (status: number, body: unknown) => {
        answers.push(status);
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method === "GET" && req.url === "/state") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ processed: processed.length, ids: processed }));
        return;
      }
      verifyAndIdentify(provider, secret, Buffer.concat(chunks), headerRecord(pairs(req.rawHeaders))).then(
        (id) => {
          // Mark as seen synchronously, before any await: five copies at once cannot all pass the check.
          if (seen.has(id)) return answer(200, { received: true, duplicate: true });
          seen.add(id);
          processed.push(id);
          answer(200, { received: true });
        },
        () => answer(400, { error: "invalid signature" }),
      );
    });
  });
  return {
    ...(await serveOnLoopback(server)),
    processed,
    answers,
  };
}
