// The verification benchmark (issue 3, "Performance"): verifications per second of every provider over the
// same 2 KB JSON body, next to a bare `crypto.createHmac("sha256")` over those bytes in the same run.
// Interleaved rounds, each provider sample next to a bare-HMAC sample, each timed for about --sample-ms;
// medians of ops/s and of the paired ratios. Goal: HMAC providers >= 0.9x the bare HMAC (the scheme logic must not cost more than the hash).
//
//   npm run build && node bench/verify.bench.mjs [--json] [--rounds 15] [--sample-ms 20] [--only stripe,github]
import { createHmac, createPublicKey, generateKeyPairSync, randomBytes, verify as cryptoVerify, X509Certificate } from "node:crypto";
import { parseArgs } from "node:util";
import { crc32 } from "node:zlib";
import { generateKeyPair, providers } from "../dist/providers/index.js";
import { generateCertificateKey, snsJson } from "../dist/providers/certificate.js";

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
entries.push({ id: "bare-hmac-sha256", kind: "baseline", run: () => createHmac("sha256", bareKey).update(body).digest() });

// Amazon SNS signs inside its JSON message: the same 2 KB text as its Message.
const snsBody = Buffer.from(
  snsJson({ Type: "Notification", MessageId: "msg_bench", TopicArn: "arn:aws:sns:us-east-1:123456789012:bench", Message: body.toString(), Timestamp: new Date(NOW * 1000).toISOString() }),
);
const header = (headers, name) => headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? "";

/**
 * The ceiling of a certificate scheme: Node's own crypto.verify on the same key (parsed once) over the same signed
 * bytes, without the scheme's parsing of the request, the key forms and the host checks.
 */
function ceilingFor(provider, request, keys) {
  const publicKey = keys.key.certificate ? new X509Certificate(keys.key.certificate).publicKey : createPublicKey({ key: Buffer.from(keys.key.publicKey, "base64"), format: "der", type: "spki" });
  const ec = { key: publicKey, dsaEncoding: "der" };
  if (provider.id === "paypal") {
    const message = Buffer.from(`${header(request.headers, "paypal-transmission-id")}|${header(request.headers, "paypal-transmission-time")}|WH-BENCH0WEBHOOK0ID|${crc32(request.body) >>> 0}`);
    const signature = Buffer.from(header(request.headers, "paypal-transmission-sig"), "base64");
    return () => cryptoVerify("sha256", message, publicKey, signature);
  }
  if (provider.id === "sns") {
    const m = JSON.parse(request.body.toString());
    const message = Buffer.from(["Message", "MessageId", "Timestamp", "TopicArn", "Type"].map((k) => `${k}\n${m[k]}\n`).join(""));
    const signature = Buffer.from(m.Signature, "base64");
    return () => cryptoVerify("sha256", message, publicKey, signature);
  }
  if (provider.id === "circle") {
    const signature = Buffer.from(header(request.headers, "x-circle-signature"), "base64");
    return () => cryptoVerify("sha256", request.body, ec, signature);
  }
  const signature = Buffer.from(JSON.parse(Buffer.from(header(request.headers, "x-ebay-signature"), "base64").toString()).signature, "base64");
  const message = Buffer.from(JSON.stringify(JSON.parse(request.body.toString())));
  return () => cryptoVerify("sha1", message, ec, signature);
}

for (const provider of providers) {
  if (only && !only.has(provider.id)) continue;
  const keys = secretFor(provider);
  const signedBody = provider.id === "sns" ? snsBody : body;
  const out = provider.sign({ body: signedBody, secret: keys.sign, timestamp: NOW, id: "msg_bench", url: URL_, method: "POST", headers: [["content-type", "application/json"]] });
  const request = { method: "POST", url: out.url ?? URL_, headers: [["content-type", "application/json"], ["user-agent", "bench"], ...out.headers], body: out.body ?? signedBody };
  const secrets = [keys.verify ?? keys.sign];
  const options = { now: NOW, url: out.url ?? URL_ };
  const check = provider.verify(request, secrets, options);
  if (!check.valid) throw new Error(`${provider.id}: the benchmark request does not verify (${check.reason})`);
  entries.push({ id: provider.id, kind: provider.kind, run: () => provider.verify(request, secrets, options) });
  if (provider.kind === "certificate") {
    const ceiling = ceilingFor(provider, request, keys);
    if (!ceiling()) throw new Error(`${provider.id}: the ceiling does not verify`);
    entries.push({ id: `${provider.id} ceiling`, kind: "ceiling", ceilingOf: provider.id, run: ceiling });
  }
}

/**
 * Operations per second of one sample: as many calls as fit in SAMPLE_NS of this process's CPU time.
 * CPU time (process.cpuUsage), not wall time: the machine is shared, and time spent descheduled while
 * other processes run says nothing about the cost of a verification.
 */
function sample(run) {
  let n = 0;
  const start = process.cpuUsage();
  let elapsedUs = 0;
  do {
    for (let i = 0; i < 64; i++) run();
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
for (const e of entries) sample(e.run);
// Each provider sample is paired with a bare-HMAC sample taken right next to it (order alternating by round),
// and the ratio is taken per pair: on a shared, loaded machine the throughput drifts between seconds, and a
// ratio of neighbours cancels most of that drift. Medians over rounds.
const baseline = entries[0];
const samples = new Map(entries.map((e) => [e.id, []]));
const ratios = new Map(entries.map((e) => [e.id, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const e of entries.slice(1)) {
    const [first, second] = round % 2 === 0 ? [baseline, e] : [e, baseline];
    const a = sample(first.run);
    const b = sample(second.run);
    const [bareOps, ops] = round % 2 === 0 ? [a, b] : [b, a];
    samples.get(baseline.id).push(bareOps);
    samples.get(e.id).push(ops);
    ratios.get(e.id).push(ops / bareOps);
  }
}

const bare = median(samples.get(baseline.id));
const rows = entries.map((e) => ({
  id: e.id,
  kind: e.kind,
  opsPerSec: Math.round(median(samples.get(e.id))),
  ratio: e === baseline ? 1 : Number(median(ratios.get(e.id)).toFixed(3)),
}));
const hmacRows = rows.filter((r) => r.kind === "hmac");
// Certificate schemes against their ceiling (Node's crypto.verify, same key, same bytes, same run).
const ceilings = entries.filter((e) => e.kind === "ceiling").map((e) => {
  const scheme = rows.find((r) => r.id === e.ceilingOf);
  const ceiling = rows.find((r) => r.id === e.id);
  return { id: e.ceilingOf, ofCeiling: Number((scheme.opsPerSec / ceiling.opsPerSec).toFixed(3)) };
});
const summary = {
  bodyBytes: body.length,
  rounds: ROUNDS,
  node: process.version,
  bareHmacOpsPerSec: Math.round(bare),
  hmacProviders: hmacRows.length,
  hmacMedianRatio: Number(median(hmacRows.map((r) => r.ratio)).toFixed(3)),
  hmacMinRatio: Math.min(...hmacRows.map((r) => r.ratio)),
  hmacBelowGoal: hmacRows.filter((r) => r.ratio < 0.9).map((r) => r.id),
  certificateOfCeiling: ceilings,
  rows,
};

if (flags.json) {
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} else {
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  console.log(`verify benchmark: ${body.length}-byte body, ${ROUNDS} interleaved rounds, medians, ${process.version}`);
  console.log(`${pad("provider", 20)}${pad("kind", 10)}${lpad("verify/s", 12)}${lpad("x bare", 9)}`);
  for (const r of rows) console.log(`${pad(r.id, 20)}${pad(r.kind, 10)}${lpad(r.opsPerSec.toLocaleString("en-US"), 12)}${lpad(r.ratio.toFixed(2), 9)}`);
  console.log(`HMAC providers: median ${summary.hmacMedianRatio}x, min ${summary.hmacMinRatio}x of bare HMAC-SHA256 (goal >= 0.9x)` +
    (summary.hmacBelowGoal.length ? `; below goal: ${summary.hmacBelowGoal.join(", ")}` : ""));
  if (ceilings.length) console.log(`Certificate schemes, x Node's crypto.verify on the same key: ${ceilings.map((c) => `${c.id} ${c.ofCeiling}x`).join(", ")}`);
}
