// The verification benchmark: verifications per second of every provider over the
// same 2 KB JSON body, each next to its ceiling in the same run: a bare `crypto.createHmac("sha256")` over those
// bytes for the HMAC and token schemes; `crypto.verify` over the body with the provider's own key for Ed25519 and
// ECDSA, and with the certificate's key over the same signed bytes for the certificate schemes (PayPal, SNS, Circle,
// eBay); jose's `jwtVerify` of the provider's own token with its key for the JWT schemes. Adyen's standard webhooks
// (signatures inside the body, over fields) get their own row: they must parse the body, as Adyen's SDK does.
// Interleaved rounds, each provider sample next to a sample of its ceiling, each timed for about --sample-ms;
// medians of ops/s and of the paired ratios. Goal: HMAC providers >= 0.9x the bare HMAC (the scheme logic must not
// cost more than the hash).
//
//   npm run build && node bench/verify.bench.mjs [--json] [--rounds 15] [--sample-ms 20] [--only stripe,github]
import { createHmac, createPublicKey, generateKeyPairSync, randomBytes, sign as signBytes, verify as verifyBytes, X509Certificate } from "node:crypto";
import { parseArgs } from "node:util";
import { crc32 } from "node:zlib";
import { jwtVerify } from "jose";
import { generateKeyPair, providers } from "../dist/providers/index.js";
import { generateCertificateKey } from "../dist/providers/schemes/certificate.js";
import { snsJson } from "../dist/providers/sns.js";
import { parsePrivateKey, parsePublicKey } from "../dist/providers/keys.js";

const { values: flags } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    rounds: { type: "string", default: "15" },
    "sample-ms": { type: "string", default: "20" },
    only: { type: "string" },
  },
});
const ROUNDS = Number(flags.rounds);
const SAMPLE_NS = BigInt(Math.round(Number(flags["sample-ms"]) * 1e6));
const NOW = 1_795_777_200;
const URL_ = "https://hooks.example.com/webhooks/bench?tenant=acme";

/** A 2 KB JSON event, ending with Linear's top-level webhookTimestamp (ignored by everyone else). */
function makeBody() {
  const event = { id: "evt_bench", type: "invoice.paid", created: NOW, data: { object: { id: "in_1", lines: [] } } };
  let i = 0;
  while (JSON.stringify({ ...event, webhookTimestamp: NOW * 1000 }).length < 2048 - 60) {
    event.data.object.lines.push({ id: `li_${i++}`, amount: 1000 + i, currency: "usd" });
  }
  const text = JSON.stringify({ ...event, webhookTimestamp: NOW * 1000 });
  return Buffer.from(text.padEnd(2048, " "));
}

const body = makeBody();
const secretFor = (p) => {
  if (["standard-webhooks", "svix", "clerk", "resend"].includes(p.id) || p.aliasOf === "standard-webhooks") return { sign: `whsec_${randomBytes(24).toString("base64")}` };
  if (p.id === "wix") {
    // RS256: a local RSA pair, signed with the private key, verified with the public one.
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return { sign: pair.privateKey.export({ format: "pem", type: "pkcs8" }), verify: pair.publicKey.export({ format: "pem", type: "spki" }) };
  }
  if (["chargebee", "postmark", "pipedrive"].includes(p.id)) return { sign: `bench:${randomBytes(8).toString("hex")}` };
  // Both key the HMAC with the base64-decoded secret their dashboards show.
  if (p.id === "airtable" || p.id === "teams") return { sign: randomBytes(32).toString("base64") };
  // Adyen's HMAC keys are hex.
  if (p.id === "adyen") return { sign: randomBytes(32).toString("hex").toUpperCase() };
  if (p.kind === "certificate") {
    // A test key (and certificate) as `keygen` makes it; PayPal's secret carries the webhook id it signs.
    const key = generateCertificateKey(p);
    const prefix = p.id === "paypal" ? "WH-BENCH0WEBHOOK0ID:" : "";
    return { sign: prefix + key.privateKey, verify: prefix + (key.certificate ?? key.publicKey), key };
  }
  if (p.kind === "ed25519" || p.kind === "ecdsa") {
    const pair = generateKeyPair(p.kind === "ed25519" ? "discord" : "sendgrid");
    return { sign: pair.privateKey, verify: pair.publicKey };
  }
  return { sign: `bench_secret_${p.id}_${randomBytes(8).toString("hex")}` };
};

const only = flags.only ? new Set(flags.only.split(",")) : null;
const entries = [];
const bareKey = `bench_secret_${randomBytes(8).toString("hex")}`;
// The floor every HMAC provider must pay: one keyed hash over the body, digested.
const bareHmac = { id: "bare-hmac-sha256", kind: "ceiling", run: () => createHmac("sha256", bareKey).update(body).digest() };
entries.push(bareHmac);

// Amazon SNS signs inside its JSON message: the same 2 KB text as its Message.
const snsBody = Buffer.from(
  snsJson({ Type: "Notification", MessageId: "msg_bench", TopicArn: "arn:aws:sns:us-east-1:123456789012:bench", Message: body.toString(), Timestamp: new Date(NOW * 1000).toISOString() }),
);
const header = (headers, name) => headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? "";

/**
 * The ceiling of a certificate scheme: Node's own crypto.verify on the same key (parsed once) over the same signed
 * bytes, without the scheme's parsing of the request, the key forms and the host checks.
 */
function certificateCeiling(provider, request, keys) {
  return { id: `crypto.verify (${provider.id}'s key)`, kind: "ceiling", run: certificateCeilingRun(provider, request, keys) };
}

function certificateCeilingRun(provider, request, keys) {
  const publicKey = keys.key.certificate ? new X509Certificate(keys.key.certificate).publicKey : createPublicKey({ key: Buffer.from(keys.key.publicKey, "base64"), format: "der", type: "spki" });
  const ec = { key: publicKey, dsaEncoding: "der" };
  if (provider.id === "paypal") {
    const message = Buffer.from(`${header(request.headers, "paypal-transmission-id")}|${header(request.headers, "paypal-transmission-time")}|WH-BENCH0WEBHOOK0ID|${crc32(request.body) >>> 0}`);
    const signature = Buffer.from(header(request.headers, "paypal-transmission-sig"), "base64");
    return () => verifyBytes("sha256", message, publicKey, signature);
  }
  if (provider.id === "sns") {
    const m = JSON.parse(request.body.toString());
    const message = Buffer.from(["Message", "MessageId", "Timestamp", "TopicArn", "Type"].map((k) => `${k}\n${m[k]}\n`).join(""));
    const signature = Buffer.from(m.Signature, "base64");
    return () => verifyBytes("sha256", message, publicKey, signature);
  }
  if (provider.id === "circle") {
    const signature = Buffer.from(header(request.headers, "x-circle-signature"), "base64");
    return () => verifyBytes("sha256", request.body, ec, signature);
  }
  const signature = Buffer.from(JSON.parse(Buffer.from(header(request.headers, "x-ebay-signature"), "base64").toString()).signature, "base64");
  const message = Buffer.from(JSON.stringify(JSON.parse(request.body.toString())));
  return () => verifyBytes("sha1", message, ec, signature);
}

/** The ceiling of an Ed25519 / ECDSA provider: one crypto.verify over the body with the provider's own key. */
function verifyCeiling(provider, keys) {
  const algorithm = provider.kind === "ed25519" ? "ed25519" : "p256";
  const digest = provider.kind === "ed25519" ? null : "sha256";
  const publicKey = parsePublicKey(keys.verify, algorithm);
  const signature = signBytes(digest, body, parsePrivateKey(keys.sign, algorithm));
  return { id: `crypto.verify (${provider.id}'s key)`, kind: "ceiling", run: () => verifyBytes(digest, body, publicKey, signature) };
}

/** The ceiling of a JWT provider: jose's jwtVerify of the very token it verifies, with the same key. */
function joseCeiling(provider, request, keys) {
  const bearer = request.headers.find(([name]) => /^(authorization|x-fusionauth-signature-jwt)$/i.test(name))?.[1];
  const token = provider.id === "wix" ? request.body.toString("utf8") : (bearer ?? "").replace(/^Bearer\s+/i, "");
  const key = provider.id === "wix" ? createPublicKey(keys.verify) : new TextEncoder().encode(keys.sign);
  const options = { currentDate: new Date(NOW * 1000) };
  return { id: `jose.jwtVerify (${provider.id}'s key)`, kind: "ceiling", async: true, run: () => jwtVerify(token, key, options) };
}

function addProvider(provider, id, requestBody) {
  const keys = secretFor(provider);
  const out = provider.sign({ body: requestBody, secret: keys.sign, timestamp: NOW, id: "msg_bench", url: URL_, method: "POST", headers: [["content-type", "application/json"]] });
  const request = { method: "POST", url: out.url ?? URL_, headers: [["content-type", "application/json"], ["user-agent", "bench"], ...out.headers], body: out.body ?? requestBody };
  const secrets = [keys.verify ?? keys.sign];
  const options = { now: NOW, url: out.url ?? URL_ };
  const check = provider.verify(request, secrets, options);
  if (!check.valid) throw new Error(`${id}: the benchmark request does not verify (${check.reason})`);
  const against =
    provider.kind === "ed25519" || provider.kind === "ecdsa"
      ? verifyCeiling(provider, keys)
      : provider.kind === "jwt"
        ? joseCeiling(provider, request, keys)
        : provider.kind === "certificate"
          ? certificateCeiling(provider, request, keys)
          : bareHmac;
  if (against.kind === "ceiling" && against.async !== true && !against.run()) throw new Error(`${id}: the ceiling does not verify`);
  if (against !== bareHmac) entries.push(against);
  entries.push({ id, kind: id === provider.id ? provider.kind : "hmac-fields", against, run: () => provider.verify(request, secrets, options) });
}

/** An Adyen standard webhook of about the same size: notification items, each signed over its fields. */
function adyenNotification() {
  const items = [];
  for (let i = 0; JSON.stringify({ live: "false", notificationItems: items }).length < 2048 - 500; i++) {
    items.push({
      NotificationRequestItem: {
        additionalData: { authCode: "123456", cardSummary: "1111", expiryDate: "03/2030" },
        amount: { currency: "EUR", value: 1000 + i },
        eventCode: "AUTHORISATION",
        eventDate: "2026-12-01T10:00:00+01:00",
        merchantAccountCode: "BenchECOM",
        merchantReference: `order-${i}`,
        paymentMethod: "visa",
        pspReference: `88150000000${String(i).padStart(5, "0")}`,
        success: "true",
      },
    });
  }
  return Buffer.from(JSON.stringify({ live: "false", notificationItems: items }, null, 2).replace(/\//g, "\\/"));
}

for (const provider of providers) {
  if (only && !only.has(provider.id)) continue;
  addProvider(provider, provider.id, provider.id === "sns" ? snsBody : body);
  if (provider.id === "adyen") addProvider(provider, "adyen (notification items)", adyenNotification());
}

/**
 * Operations per second of one sample: as many calls as fit in SAMPLE_NS of this process's CPU time.
 * CPU time (process.cpuUsage), not wall time: the machine is shared, and time spent descheduled while
 * other processes run says nothing about the cost of a verification. jose's jwtVerify is async: awaited in turn.
 */
async function sample(entry) {
  const run = entry.run;
  let n = 0;
  const start = process.cpuUsage();
  let elapsedUs = 0;
  do {
    if (entry.async) for (let i = 0; i < 64; i++) await run();
    else for (let i = 0; i < 64; i++) run();
    n += 64;
    const used = process.cpuUsage(start);
    elapsedUs = used.user + used.system;
  } while (elapsedUs * 1000 < Number(SAMPLE_NS));
  return (n * 1e6) / elapsedUs;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Warm-up: let V8 optimise every path before measuring.
for (const e of entries) await sample(e);
// Each provider sample is paired with a sample of its ceiling taken right next to it (order alternating by round),
// and the ratio is taken per pair: on a shared, loaded machine the throughput drifts between seconds, and a
// ratio of neighbours cancels most of that drift. Medians over rounds.
const measured = entries.filter((e) => e.against !== undefined);
const samples = new Map(entries.map((e) => [e.id, []]));
const ratios = new Map(entries.map((e) => [e.id, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const e of measured) {
    const [first, second] = round % 2 === 0 ? [e.against, e] : [e, e.against];
    const a = await sample(first);
    const b = await sample(second);
    const [baseOps, ops] = round % 2 === 0 ? [a, b] : [b, a];
    samples.get(e.against.id).push(baseOps);
    samples.get(e.id).push(ops);
    ratios.get(e.id).push(ops / baseOps);
  }
}

const bare = median(samples.get(bareHmac.id));
const rows = entries.map((e) => ({
  id: e.id,
  kind: e.kind,
  against: e.against?.id ?? null,
  opsPerSec: Math.round(median(samples.get(e.id))),
  ratio: e.against === undefined ? 1 : Number(median(ratios.get(e.id)).toFixed(3)),
}));
const hmacRows = rows.filter((r) => r.kind === "hmac");
const summary = {
  bodyBytes: body.length,
  rounds: ROUNDS,
  node: process.version,
  bareHmacOpsPerSec: Math.round(bare),
  hmacProviders: hmacRows.length,
  hmacMedianRatio: Number(median(hmacRows.map((r) => r.ratio)).toFixed(3)),
  hmacMinRatio: Math.min(...hmacRows.map((r) => r.ratio)),
  hmacBelowGoal: hmacRows.filter((r) => r.ratio < 0.9).map((r) => r.id),
  asymmetric: rows.filter((r) => r.kind === "ed25519" || r.kind === "ecdsa" || r.kind === "jwt" || r.kind === "certificate").map((r) => ({ id: r.id, ratio: r.ratio, against: r.against })),
  rows,
};

if (flags.json) {
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} else {
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  console.log(`verify benchmark: ${body.length}-byte body, ${ROUNDS} interleaved rounds, medians, ${process.version}`);
  console.log(`${pad("provider", 34)}${pad("kind", 12)}${lpad("verify/s", 12)}${lpad("x ceiling", 11)}  ceiling`);
  for (const r of rows) {
    const ratio = r.against === null ? "" : r.ratio.toFixed(2);
    console.log(`${pad(r.id, 34)}${pad(r.kind, 12)}${lpad(r.opsPerSec.toLocaleString("en-US"), 12)}${lpad(ratio, 11)}  ${r.against ?? ""}`);
  }
  console.log(`HMAC providers: median ${summary.hmacMedianRatio}x, min ${summary.hmacMinRatio}x of bare HMAC-SHA256 (goal >= 0.9x)` +
    (summary.hmacBelowGoal.length ? `; below goal: ${summary.hmacBelowGoal.join(", ")}` : ""));
}
