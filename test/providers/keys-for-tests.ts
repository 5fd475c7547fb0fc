import { generateCertificateKey } from "../../src/providers/schemes/certificate.js";
import { circle } from "../../src/providers/circle.js";
import { ebay } from "../../src/providers/ebay.js";
import { paypal } from "../../src/providers/paypal.js";
import { sns, snsJson } from "../../src/providers/sns.js";
import { generateKeyPair } from "../../src/providers/keys.js";
import type { Provider } from "../../src/providers/types.js";
import { rsaTestKeyPair } from "../helpers/test-keys.js";

const discordPair = generateKeyPair("discord");
const rsaPem = (index: number) => {
  const { privateKey, publicKey } = rsaTestKeyPair(index);
  return { privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(), publicKey: publicKey.export({ format: "pem", type: "spki" }).toString() };
};
/** Wix signs with its own RSA key: tests sign with a private key of their own and verify with its public key. */
export const wixPair = rsaPem(0);
const otherRsa = rsaPem(1);
const sendgridPair = generateKeyPair("sendgrid");
const telnyxPair = generateKeyPair("discord");

// The certificate schemes sign with a test private key and verify with its certificate (PayPal, SNS) or public key
// (Circle, eBay); PayPal's secret carries the webhook id it signs.
const certificateKeys = {
  paypal: [generateCertificateKey(paypal, undefined, rsaTestKeyPair(2)), generateCertificateKey(paypal, undefined, rsaTestKeyPair(3))],
  sns: [generateCertificateKey(sns, undefined, rsaTestKeyPair(4)), generateCertificateKey(sns, undefined, rsaTestKeyPair(5))],
  circle: [generateCertificateKey(circle), generateCertificateKey(circle)],
  ebay: [generateCertificateKey(ebay), generateCertificateKey(ebay)],
} as const;
export const PAYPAL_WEBHOOK_ID = "WH-1AB23456CD789012E-3FG45678HI901234J";

/**
 * A body the provider can sign where it needs one of a certain shape: SNS signs inside its JSON message (the
 * `value` becomes the Message), eBay signs JSON. Other providers take `value` as it is.
 */
export function bodyFor(provider: Provider, value: string): string {
  if (provider.id === "sns") {
    return snsJson({
      Type: "Notification",
      MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
      TopicArn: "arn:aws:sns:eu-west-1:123456789012:hooktape",
      Message: value,
      Timestamp: "2026-11-27T11:00:00.000Z",
    });
  }
  return value;
}

/** Test-only credentials per provider: what signs, and what verifies (the same for shared secrets). */
export function credentialsFor(provider: Provider): { signWith: string; verifyWith: string; other: string } {
  if (provider.id === "paypal" || provider.id === "sns" || provider.id === "circle" || provider.id === "ebay") {
    const [mine, other] = certificateKeys[provider.id];
    const prefix = provider.id === "paypal" ? `${PAYPAL_WEBHOOK_ID}:` : "";
    const shown = (key: typeof mine) => prefix + (key.certificate ?? key.publicKey);
    return { signWith: prefix + mine.privateKey, verifyWith: shown(mine), other: shown(other) };
  }
  if (provider.id === "wix") return { signWith: wixPair.privateKey, verifyWith: wixPair.publicKey, other: otherRsa.publicKey };
  if (provider.id === "telnyx") return { signWith: telnyxPair.privateKey, verifyWith: telnyxPair.publicKey, other: generateKeyPair("discord").publicKey };
  if (provider.id === "discord") return { signWith: discordPair.privateKey, verifyWith: discordPair.publicKey, other: generateKeyPair("discord").publicKey };
  if (provider.id === "sendgrid") return { signWith: sendgridPair.privateKey, verifyWith: sendgridPair.publicKey, other: generateKeyPair("sendgrid").publicKey };
  if (["standard-webhooks", "svix", "clerk", "resend", "lithic", "replicate", "brex", "openai"].includes(provider.id)) {
    const secret = `whsec_${Buffer.from(`test-key-for-${provider.id}`).toString("base64")}`;
    return { signWith: secret, verifyWith: secret, other: `whsec_${Buffer.from("another key").toString("base64")}` };
  }
  if (provider.id === "airtable" || provider.id === "teams") {
    // Both key the HMAC with the base64-decoded secret their dashboards show.
    return { signWith: Buffer.from(`test-key-for-${provider.id}`).toString("base64"), verifyWith: Buffer.from(`test-key-for-${provider.id}`).toString("base64"), other: Buffer.from("another key").toString("base64") };
  }
  if (provider.id === "adyen") {
    // Adyen's HMAC keys are hex (64 characters in the Customer Area).
    return { signWith: Buffer.from("test-key-for-adyen").toString("hex"), verifyWith: Buffer.from("test-key-for-adyen").toString("hex"), other: "ab".repeat(32) };
  }
  if (["chargebee", "postmark", "pipedrive"].includes(provider.id)) {
    // HTTP Basic credentials, as user:password.
    return { signWith: `hooktape:test-password-${provider.id}`, verifyWith: `hooktape:test-password-${provider.id}`, other: "hooktape:another-password" };
  }
  const secret = `test_secret_${provider.id}`;
  return { signWith: secret, verifyWith: secret, other: `other_secret_${provider.id}` };
}

export const TEST_URL = "https://hooks.example.com/webhooks/test?x=1";
