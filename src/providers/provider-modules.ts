import type { HmacSettings } from "./generic-hmac.js";
import type { Provider } from "./types.js";

/** How `hmac` is built: from the generic scheme's flags (`--hmac-header`, ...), as `getProvider("hmac", { hmac })`. */
export interface ProviderLoadOptions {
  hmac?: Partial<HmacSettings>;
}

/**
 * The catalogue: every provider id, in detection order. Each is defined in the module named after it (`./<id>.ts`),
 * exported under its camel-cased id (`modern-treasury` as `modernTreasury`); `hmac` is the generic scheme of
 * `./generic-hmac.ts`. Adding a provider is one module and one line here; `node scripts/generate-provider-list.mjs`
 * then writes the registry's imports (all-providers.ts) from this list.
 *
 * Detection order: specific schemes before the ones whose headers others
 * share (GitHub, told apart by X-GitHub-Event, before Meta, Intercom and Bitbucket, which send the same
 * X-Hub-Signature headers; Lemon Squeezy before the generic X-Signature), Svix before its aliases Clerk and Resend
 * (which never auto-detect), and the generic `hmac` last. Jira (X-Hub-Signature with X-Atlassian-Webhook-Identifier)
 * comes before the other X-Hub-Signature senders; Modern Treasury and Airwallex (X-Signature with X-Topic /
 * x-timestamp) before Lemon Squeezy and the generic scheme; GoCardless (a bare hex Webhook-Signature) after Standard
 * Webhooks. Aliases (WhatsApp of Meta, Polar of Standard Webhooks, ...) never auto-detect: --provider names them.
 */
const PROVIDER_IDS: readonly string[] = [
  "stripe",
  "github",
  "standard-webhooks",
  "gocardless",
  "svix",
  "shopify",
  "slack",
  "twilio",
  "square",
  "paddle",
  "linear",
  "discord",
  "sendgrid",
  "telnyx",
  "line",
  "razorpay",
  "hubspot",
  "mux",
  "workos",
  "zoom",
  "modern-treasury",
  "airwallex",
  "intercom",
  "typeform",
  "gitlab",
  "jira",
  "bitbucket",
  "twitch",
  "meta",
  "lemonsqueezy",
  "calendly",
  "sentry",
  "mailgun",
  "clerk",
  "resend",
  "vercel",
  "asana",
  "zendesk",
  "coinbase",
  "xero",
  "webex",
  "trello",
  "pagerduty",
  "box",
  "woocommerce",
  "fastspring",
  "maxio",
  "orb",
  "bolt",
  "sanity",
  "circleci",
  "buildkite",
  "heroku",
  "terraform",
  "launchdarkly",
  "mongodb-atlas",
  "dropbox",
  "docusign",
  "customerio",
  "mandrill",
  "persona",
  "nylas",
  "airtable",
  "frameio",
  "teams",
  "tiktok",
  "twitter",
  "pusher",
  "elevenlabs",
  "webflow",
  "aftership",
  "recurly",
  "alchemy",
  "castle",
  "contentful",
  "plivo",
  "hygraph",
  // Adyen: per-item signatures in the body, or the HmacSignature header (which alone identifies a delivery).
  "adyen",
  // JSON Web Tokens: FusionAuth by its own header; the others (Authorization, or the body) only by name.
  "fusionauth",
  "vonage",
  "wix",
  "monday",
  // Certificates and key ids, each told apart by its own headers (SNS by x-amz-sns-message-type).
  "paypal",
  "sns",
  "circle",
  "ebay",
  // Shared secrets in Authorization, never auto-detected (every Basic-auth sender looks the same).
  "chargebee",
  "postmark",
  "pipedrive",
  "okta",
  // Aliases: the same scheme under the name a developer looks for.
  "whatsapp",
  "instagram",
  "messenger",
  "lithic",
  "openai",
  "replicate",
  "brex",
  "polar",
  "bigcommerce",
  "hmac",
];
const KNOWN = new Set(PROVIDER_IDS);

/**
 * The headers whose value is a shared secret (registry.ts's TOKEN_HEADERS: a token scheme's token, Basic auth's
 * Authorization), known without loading the catalogue; provider-modules.test.ts keeps both in step.
 */
export const SECRET_HEADER_NAMES: readonly string[] = ["x-gitlab-token", "authorization"];

/** True when `id` names a provider of the catalogue; loads nothing. */
export function isKnownProviderId(id: string): boolean {
  return KNOWN.has(id);
}

/**
 * The provider with this id; for `hmac`, the generic scheme built from the given settings. The catalogue loads as
 * one piece, the registry: a hundred small modules cost more to load one by one (the ES module loader's work per
 * file) than the catalogue costs as one, and capture, check and trigger need all of it anyway.
 */
export async function loadProvider(id: string, options?: ProviderLoadOptions): Promise<Provider | undefined> {
  if (!KNOWN.has(id)) return undefined;
  const { getProvider } = await import("./registry.js");
  return getProvider(id, options);
}

/** Every id of the catalogue, in detection order. */
export function knownProviderIds(): string[] {
  return [...PROVIDER_IDS];
}
