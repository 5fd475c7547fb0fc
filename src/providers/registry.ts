import type { HeaderPairs } from "../core/types.js";
import { createGenericHmacProvider, type HmacSettings } from "./generic-hmac.js";
import { asana } from "./asana.js";
import { hygraph } from "./hygraph.js";
import { telnyx } from "./telnyx.js";
import { plivo } from "./plivo.js";
import { contentful } from "./contentful.js";
import { fusionauth } from "./fusionauth.js";
import { monday } from "./monday.js";
import { vonage } from "./vonage.js";
import { wix } from "./wix.js";
import { chargebee } from "./chargebee.js";
import { postmark } from "./postmark.js";
import { pipedrive } from "./pipedrive.js";
import { okta } from "./okta.js";
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
import { whatsapp } from "./whatsapp.js";
import { instagram } from "./instagram.js";
import { messenger } from "./messenger.js";
import { mux } from "./mux.js";
import { paddle } from "./paddle.js";
import { pagerduty } from "./pagerduty.js";
import { razorpay } from "./razorpay.js";
import { sendgrid } from "./sendgrid.js";
import { sentry } from "./sentry.js";
import { shopify } from "./shopify.js";
import { slack } from "./slack.js";
import { square } from "./square.js";
import { standardWebhooks } from "./standard-webhooks.js";
import { svix } from "./svix.js";
import { clerk } from "./clerk.js";
import { resend } from "./resend.js";
import { lithic } from "./lithic.js";
import { openai } from "./openai.js";
import { replicate } from "./replicate.js";
import { brex } from "./brex.js";
import { polar } from "./polar.js";
import { bigcommerce } from "./bigcommerce.js";
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
import { aftership } from "./aftership.js";
import { airtable } from "./airtable.js";
import { airwallex } from "./airwallex.js";
import { alchemy } from "./alchemy.js";
import { bolt } from "./bolt.js";
import { buildkite } from "./buildkite.js";
import { castle } from "./castle.js";
import { circleci } from "./circleci.js";
import { customerio } from "./customerio.js";
import { docusign } from "./docusign.js";
import { dropbox } from "./dropbox.js";
import { elevenlabs } from "./elevenlabs.js";
import { fastspring } from "./fastspring.js";
import { frameio } from "./frameio.js";
import { gocardless } from "./gocardless.js";
import { heroku } from "./heroku.js";
import { jira } from "./jira.js";
import { launchdarkly } from "./launchdarkly.js";
import { mandrill } from "./mandrill.js";
import { maxio } from "./maxio.js";
import { modernTreasury } from "./modern-treasury.js";
import { mongodbAtlas } from "./mongodb-atlas.js";
import { nylas } from "./nylas.js";
import { orb } from "./orb.js";
import { persona } from "./persona.js";
import { pusher } from "./pusher.js";
import { recurly } from "./recurly.js";
import { sanity } from "./sanity.js";
import { teams } from "./teams.js";
import { terraform } from "./terraform.js";
import { tiktok } from "./tiktok.js";
import { twitter } from "./twitter.js";
import { webflow } from "./webflow.js";
import { woocommerce } from "./woocommerce.js";
// Signature in the body (Adyen), and its header variant.
import { adyen } from "./adyen.js";
// Certificates and key ids (issue 8): the sender's own key pair, named by a certificate URL or a key id.
import { paypal } from "./paypal.js";
import { sns } from "./sns.js";
import { circle } from "./circle.js";
import { ebay } from "./ebay.js";
import type { Provider } from "./types.js";

const genericHmac = createGenericHmacProvider();

/**
 * The catalogue, in detection order: specific schemes before the ones whose headers others share
 * (GitHub, told apart by X-GitHub-Event, before Meta, Intercom and Bitbucket, which send the same
 * X-Hub-Signature headers; Lemon Squeezy before the generic X-Signature), Svix before its aliases
 * Clerk and Resend (which never auto-detect), and the generic `hmac` last. Jira (X-Hub-Signature with
 * X-Atlassian-Webhook-Identifier) comes before the other X-Hub-Signature senders; Modern Treasury and Airwallex
 * (X-Signature with X-Topic / x-timestamp) before Lemon Squeezy and the generic scheme; GoCardless (a bare hex
 * Webhook-Signature) after Standard Webhooks. Aliases (WhatsApp of Meta, Polar of Standard Webhooks, ...) never
 * auto-detect: --provider names them.
 */
export const providers: readonly Provider[] = [
  stripe,
  github,
  standardWebhooks,
  gocardless,
  svix,
  shopify,
  slack,
  twilio,
  square,
  paddle,
  linear,
  discord,
  sendgrid,
  telnyx,
  line,
  razorpay,
  hubspot,
  mux,
  workos,
  zoom,
  modernTreasury,
  airwallex,
  intercom,
  typeform,
  gitlab,
  jira,
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
  woocommerce,
  fastspring,
  maxio,
  orb,
  bolt,
  sanity,
  circleci,
  buildkite,
  heroku,
  terraform,
  launchdarkly,
  mongodbAtlas,
  dropbox,
  docusign,
  customerio,
  mandrill,
  persona,
  nylas,
  airtable,
  frameio,
  teams,
  tiktok,
  twitter,
  pusher,
  elevenlabs,
  webflow,
  aftership,
  recurly,
  alchemy,
  castle,
  contentful,
  plivo,
  hygraph,
  // Adyen: per-item signatures in the body, or the HmacSignature header (which alone identifies a delivery).
  adyen,
  // JSON Web Tokens: FusionAuth by its own header; the others (Authorization, or the body) only by name.
  fusionauth,
  vonage,
  wix,
  monday,
  // Certificates and key ids, each told apart by its own headers (SNS by x-amz-sns-message-type).
  paypal,
  sns,
  circle,
  ebay,
  // Shared secrets in Authorization, never auto-detected (every Basic-auth sender looks the same).
  chargebee,
  postmark,
  pipedrive,
  okta,
  // Aliases: the same scheme under the name a developer looks for.
  whatsapp,
  instagram,
  messenger,
  lithic,
  openai,
  replicate,
  brex,
  polar,
  bigcommerce,
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
