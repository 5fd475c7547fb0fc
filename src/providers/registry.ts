import type { HeaderPairs } from "../core/types.js";
import { createGenericHmacProvider, type HmacSettings } from "./generic-hmac.js";
import { asana } from "./asana.js";
import { bitbucket } from "./bitbucket.js";
import { box } from "./box.js";
import { calendly } from "./calendly.js";
import { coinbase } from "./coinbase.js";
import { discord } from "./discord.js";
import { github } from "./github.js";
import { gitlab } from "./gitlab.js";
import { hubspot } from "./hubspot.js";
import { intercom } from "./intercom.js";
import { lemonsqueezy } from "./lemonsqueezy.js";
import { line } from "./line.js";
import { linear } from "./linear.js";
import { mailgun } from "./mailgun.js";
import { meta } from "./meta.js";
import { mux } from "./mux.js";
import { paddle } from "./paddle.js";
import { pagerduty } from "./pagerduty.js";
import { razorpay } from "./razorpay.js";
import { sendgrid } from "./sendgrid.js";
import { sentry } from "./sentry.js";
import { shopify } from "./shopify.js";
import { slack } from "./slack.js";
import { square } from "./square.js";
import { clerk, resend, standardWebhooks, svix } from "./standard-webhooks.js";
import { stripe } from "./stripe.js";
import { trello } from "./trello.js";
import { twilio } from "./twilio.js";
import { twitch } from "./twitch.js";
import { typeform } from "./typeform.js";
import { vercel } from "./vercel.js";
import { webex } from "./webex.js";
import { workos } from "./workos.js";
import { xero } from "./xero.js";
import { zendesk } from "./zendesk.js";
import { zoom } from "./zoom.js";
import type { Provider } from "./types.js";

const genericHmac = createGenericHmacProvider();

/**
 * The catalogue, in detection order: specific schemes before the ones whose headers others share
 * (GitHub, told apart by X-GitHub-Event, before Meta, Intercom and Bitbucket, which send the same
 * X-Hub-Signature headers; Lemon Squeezy before the generic X-Signature), Svix before its aliases
 * Clerk and Resend (which never auto-detect), and the generic `hmac` last.
 */
export const providers: readonly Provider[] = [
  stripe,
  github,
  standardWebhooks,
  svix,
  shopify,
  slack,
  twilio,
  square,
  paddle,
  linear,
  discord,
  sendgrid,
  line,
  razorpay,
  hubspot,
  mux,
  workos,
  zoom,
  intercom,
  typeform,
  gitlab,
  bitbucket,
  twitch,
  meta,
  lemonsqueezy,
  calendly,
  sentry,
  mailgun,
  clerk,
  resend,
  vercel,
  asana,
  zendesk,
  coinbase,
  xero,
  webex,
  trello,
  pagerduty,
  box,
  genericHmac,
];

const byId = new Map(providers.map((p) => [p.id, p]));

/** The provider with this id; for `hmac`, the generic scheme built from the given settings. */
export function getProvider(id: string, options?: { hmac?: Partial<HmacSettings> }): Provider | undefined {
  if (id === "hmac" && options?.hmac !== undefined) return createGenericHmacProvider(options.hmac);
  return byId.get(id);
}

/** The first provider whose headers these look like; aliases (Clerk, Resend) never win over Svix. */
export function detectProvider(headers: HeaderPairs): Provider | undefined {
  return providers.find((p) => p.detect(headers));
}

/** True when `id` names a provider of the catalogue. */
export function isProviderId(id: string): boolean {
  return byId.has(id);
}

/**
 * The headers whose value IS a shared secret (a token scheme's token, GitLab's X-Gitlab-Token), lower-case. They are
 * redacted before anything is stored, whatever provider a request was detected as, and on every path (a 413 too):
 * a request misdetected or rejected still carries the secret.
 */
export const TOKEN_HEADERS: readonly string[] = providers.flatMap((p) =>
  p.kind === "token" && p.headers[0] !== undefined ? [p.headers[0].toLowerCase()] : [],
);
