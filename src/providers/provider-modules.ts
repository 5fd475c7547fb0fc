import type { HmacSettings } from "./generic-hmac.js";
import type { Provider } from "./types.js";

/** How `hmac` is built: from the generic scheme's flags (`--hmac-header`, ...), as `getProvider("hmac", { hmac })`. */
export interface ProviderLoadOptions {
  hmac?: Partial<HmacSettings>;
}

type ProviderLoader = (options?: ProviderLoadOptions) => Promise<Provider>;

/**
 * The catalogue: every provider id, in detection order, to the module that defines it. Adding a provider is one
 * module and one line here (then `node scripts/generate-provider-list.mjs` writes the registry's imports from it).
 * Commands that need a few providers (a replay of Stripe events) load only those; the registry loads them all, in
 * this order. Detection order: specific schemes before the ones whose headers others
 * share (GitHub, told apart by X-GitHub-Event, before Meta, Intercom and Bitbucket, which send the same
 * X-Hub-Signature headers; Lemon Squeezy before the generic X-Signature), Svix before its aliases Clerk and Resend
 * (which never auto-detect), and the generic `hmac` last. Jira (X-Hub-Signature with X-Atlassian-Webhook-Identifier)
 * comes before the other X-Hub-Signature senders; Modern Treasury and Airwallex (X-Signature with X-Topic /
 * x-timestamp) before Lemon Squeezy and the generic scheme; GoCardless (a bare hex Webhook-Signature) after Standard
 * Webhooks. Aliases (WhatsApp of Meta, Polar of Standard Webhooks, ...) never auto-detect: --provider names them.
 */
const loaders: Readonly<Record<string, ProviderLoader>> = {
  stripe: () => import("./stripe.js").then((m) => m.stripe),
  github: () => import("./github.js").then((m) => m.github),
  "standard-webhooks": () => import("./standard-webhooks.js").then((m) => m.standardWebhooks),
  gocardless: () => import("./gocardless.js").then((m) => m.gocardless),
  svix: () => import("./svix.js").then((m) => m.svix),
  shopify: () => import("./shopify.js").then((m) => m.shopify),
  slack: () => import("./slack.js").then((m) => m.slack),
  twilio: () => import("./twilio.js").then((m) => m.twilio),
  square: () => import("./square.js").then((m) => m.square),
  paddle: () => import("./paddle.js").then((m) => m.paddle),
  linear: () => import("./linear.js").then((m) => m.linear),
  discord: () => import("./discord.js").then((m) => m.discord),
  sendgrid: () => import("./sendgrid.js").then((m) => m.sendgrid),
  telnyx: () => import("./telnyx.js").then((m) => m.telnyx),
  line: () => import("./line.js").then((m) => m.line),
  razorpay: () => import("./razorpay.js").then((m) => m.razorpay),
  hubspot: () => import("./hubspot.js").then((m) => m.hubspot),
  mux: () => import("./mux.js").then((m) => m.mux),
  workos: () => import("./workos.js").then((m) => m.workos),
  zoom: () => import("./zoom.js").then((m) => m.zoom),
  "modern-treasury": () => import("./modern-treasury.js").then((m) => m.modernTreasury),
  airwallex: () => import("./airwallex.js").then((m) => m.airwallex),
  intercom: () => import("./intercom.js").then((m) => m.intercom),
  typeform: () => import("./typeform.js").then((m) => m.typeform),
  gitlab: () => import("./gitlab.js").then((m) => m.gitlab),
  jira: () => import("./jira.js").then((m) => m.jira),
  bitbucket: () => import("./bitbucket.js").then((m) => m.bitbucket),
  twitch: () => import("./twitch.js").then((m) => m.twitch),
  meta: () => import("./meta.js").then((m) => m.meta),
  lemonsqueezy: () => import("./lemonsqueezy.js").then((m) => m.lemonsqueezy),
  calendly: () => import("./calendly.js").then((m) => m.calendly),
  sentry: () => import("./sentry.js").then((m) => m.sentry),
  mailgun: () => import("./mailgun.js").then((m) => m.mailgun),
  clerk: () => import("./clerk.js").then((m) => m.clerk),
  resend: () => import("./resend.js").then((m) => m.resend),
  vercel: () => import("./vercel.js").then((m) => m.vercel),
  asana: () => import("./asana.js").then((m) => m.asana),
  zendesk: () => import("./zendesk.js").then((m) => m.zendesk),
  coinbase: () => import("./coinbase.js").then((m) => m.coinbase),
  xero: () => import("./xero.js").then((m) => m.xero),
  webex: () => import("./webex.js").then((m) => m.webex),
  trello: () => import("./trello.js").then((m) => m.trello),
  pagerduty: () => import("./pagerduty.js").then((m) => m.pagerduty),
  box: () => import("./box.js").then((m) => m.box),
  woocommerce: () => import("./woocommerce.js").then((m) => m.woocommerce),
  fastspring: () => import("./fastspring.js").then((m) => m.fastspring),
  maxio: () => import("./maxio.js").then((m) => m.maxio),
  orb: () => import("./orb.js").then((m) => m.orb),
  bolt: () => import("./bolt.js").then((m) => m.bolt),
  sanity: () => import("./sanity.js").then((m) => m.sanity),
  circleci: () => import("./circleci.js").then((m) => m.circleci),
  buildkite: () => import("./buildkite.js").then((m) => m.buildkite),
  heroku: () => import("./heroku.js").then((m) => m.heroku),
  terraform: () => import("./terraform.js").then((m) => m.terraform),
  launchdarkly: () => import("./launchdarkly.js").then((m) => m.launchdarkly),
  "mongodb-atlas": () => import("./mongodb-atlas.js").then((m) => m.mongodbAtlas),
  dropbox: () => import("./dropbox.js").then((m) => m.dropbox),
  docusign: () => import("./docusign.js").then((m) => m.docusign),
  customerio: () => import("./customerio.js").then((m) => m.customerio),
  mandrill: () => import("./mandrill.js").then((m) => m.mandrill),
  persona: () => import("./persona.js").then((m) => m.persona),
  nylas: () => import("./nylas.js").then((m) => m.nylas),
  airtable: () => import("./airtable.js").then((m) => m.airtable),
  frameio: () => import("./frameio.js").then((m) => m.frameio),
  teams: () => import("./teams.js").then((m) => m.teams),
  tiktok: () => import("./tiktok.js").then((m) => m.tiktok),
  twitter: () => import("./twitter.js").then((m) => m.twitter),
  pusher: () => import("./pusher.js").then((m) => m.pusher),
  elevenlabs: () => import("./elevenlabs.js").then((m) => m.elevenlabs),
  webflow: () => import("./webflow.js").then((m) => m.webflow),
  aftership: () => import("./aftership.js").then((m) => m.aftership),
  recurly: () => import("./recurly.js").then((m) => m.recurly),
  alchemy: () => import("./alchemy.js").then((m) => m.alchemy),
  castle: () => import("./castle.js").then((m) => m.castle),
  contentful: () => import("./contentful.js").then((m) => m.contentful),
  plivo: () => import("./plivo.js").then((m) => m.plivo),
  hygraph: () => import("./hygraph.js").then((m) => m.hygraph),
  // Adyen: per-item signatures in the body, or the HmacSignature header (which alone identifies a delivery).
  adyen: () => import("./adyen.js").then((m) => m.adyen),
  // JSON Web Tokens: FusionAuth by its own header; the others (Authorization, or the body) only by name.
  fusionauth: () => import("./fusionauth.js").then((m) => m.fusionauth),
  vonage: () => import("./vonage.js").then((m) => m.vonage),
  wix: () => import("./wix.js").then((m) => m.wix),
  monday: () => import("./monday.js").then((m) => m.monday),
  // Certificates and key ids, each told apart by its own headers (SNS by x-amz-sns-message-type).
  paypal: () => import("./paypal.js").then((m) => m.paypal),
  sns: () => import("./sns.js").then((m) => m.sns),
  circle: () => import("./circle.js").then((m) => m.circle),
  ebay: () => import("./ebay.js").then((m) => m.ebay),
  // Shared secrets in Authorization, never auto-detected (every Basic-auth sender looks the same).
  chargebee: () => import("./chargebee.js").then((m) => m.chargebee),
  postmark: () => import("./postmark.js").then((m) => m.postmark),
  pipedrive: () => import("./pipedrive.js").then((m) => m.pipedrive),
  okta: () => import("./okta.js").then((m) => m.okta),
  // Aliases: the same scheme under the name a developer looks for.
  whatsapp: () => import("./whatsapp.js").then((m) => m.whatsapp),
  instagram: () => import("./instagram.js").then((m) => m.instagram),
  messenger: () => import("./messenger.js").then((m) => m.messenger),
  lithic: () => import("./lithic.js").then((m) => m.lithic),
  openai: () => import("./openai.js").then((m) => m.openai),
  replicate: () => import("./replicate.js").then((m) => m.replicate),
  brex: () => import("./brex.js").then((m) => m.brex),
  polar: () => import("./polar.js").then((m) => m.polar),
  bigcommerce: () => import("./bigcommerce.js").then((m) => m.bigcommerce),
  hmac: (options) => import("./generic-hmac.js").then((m) => m.createGenericHmacProvider(options?.hmac)),
};

/**
 * The headers whose value is a shared secret (registry.ts's TOKEN_HEADERS: a token scheme's token, Basic auth's
 * Authorization), known without loading the catalogue; provider-modules.test.ts keeps both in step.
 */
export const SECRET_HEADER_NAMES: readonly string[] = ["x-gitlab-token", "authorization"];

/** True when `id` names a provider of the catalogue; loads nothing. */
export function isKnownProviderId(id: string): boolean {
  return Object.hasOwn(loaders, id);
}

/** The provider with this id, loading only its module; for `hmac`, the generic scheme built from the given settings. */
export async function loadProvider(id: string, options?: ProviderLoadOptions): Promise<Provider | undefined> {
  const load = Object.hasOwn(loaders, id) ? loaders[id] : undefined;
  return load === undefined ? undefined : load(options);
}

/** Every id of the catalogue, in detection order. */
export function knownProviderIds(): string[] {
  return Object.keys(loaders);
}
