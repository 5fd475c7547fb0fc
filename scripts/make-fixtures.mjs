#!/usr/bin/env node
// Regenerates fixtures/: one signed example fixture per provider of the registry, signed by the built CLI
// (`npm run build` first), and fixtures/README.md with the TEST-ONLY secrets they were signed with.
// Run: node scripts/make-fixtures.mjs   (deterministic: fixed secrets, timestamp and message ids; only the
// ECDSA (SendGrid, Circle, eBay) signatures change between runs, since ECDSA signs with a random nonce)
import { spawnSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "bin", "hooktape.js");
const outDir = join(root, "fixtures");
const { providers } = await import(join(root, "dist", "providers", "index.js"));
const { parsePrivateKey } = await import(join(root, "dist", "providers", "keys.js"));
const { sampleSubject, fixedIds } = await import(join(root, "dist", "check", "sample-event.js"));

// 2026-01-01T00:00:00Z, in the past: fixtures are reproducible byte for byte, and visibly stale until re-signed.
const SIGNED_AT = 1767225600;
const BASE_URL = "https://hooks.example.com";

// Obviously fake, test-only secrets. Real secrets never go into this repository.
const STANDARD_WEBHOOKS_SECRET = "whsec_" + Buffer.from("hooktape-test-only-not-a-real-secret").toString("base64");
const ED25519_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"; // RFC 8032 test 1 key
// A 2048-bit RSA key made for hooktape's fixtures (test-only, published on purpose): Wix signs its JWT bodies with RSA.
const RSA_PKCS8_DER =
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCuoxwgJ9nJWwQUb5EAblwLydQztvwYyQvYGRj5J0WrooM/WlA37LxSCC3nK5xEuut8AhUXCpUbxXNF1s4ViWpk5Rizke3v4Qi6lSZ58YGN6kpmBBJUMaLh72mPg32mNql/y+089Jyb51fLNXw42E0fsGJbkHYutqGZwNHhKjFzpu5US/MnUkbghq1yPYvSwmN4zZ8khxdVUcYqOQBoxzsLp29jw8xKF4S78ZSEyt1MCvn59CZ0K1LsrTpGVJyqccscJkbc59Ui5+/3uUSzCavAjW1o9GnuYese5x1dRkjGi33vim+F0EGshmLN4175socxcEJazuEvjhWVj+WVccXVAgMBAAECggEAHBlE93yJ+26wTZx023mmSERJZyfAULmadQL2xHH38QmFLh6ZLSJjW5ySzDD1ZA6iQJHyNEKg4rbGmRxajNcPHhxJeO0YOGJAHgtNBU5hLsUdguQRUegpoco8dRmuUB3X8GbOrWHbR+91bg4VRm0xHZHrBXoNNe9vOXavnlfEXKvhdqsbpQaPTbhGiQln1cGTtLyCeialAN1AMZhwfbSerWA7TRO5Nhj9PJwvBVRls9aNudjEJuJOWKEX0IyZLQ4z3vEV85/Xk8smSaDM0dP49UJ3+y8S2QOa9R0Sk25ODGfYQe/tf9CtJD+6ZzUgS0xWemo2E+O2VccrR5SCA1LjcQKBgQDaBW6y3o/okFm5eFzDrUoXTwmh8b2BQCcAw318280PYUEyG3P/kwHw4SQBNoNmP8eNEY86waYh9DwERIRXA2uOSNIu7IM192ohlvyGVHBjtca6Ok9mHVMNWRvZcAf+hjhbWqwS9AgGGMjkppoS1YS0tQW+ltkkp3IMYMlGpOgJxQKBgQDNDvt+RgXoDP9094fYKNWgjNY1z0C8hRFmVA3FG8fgZLT9wk4z1o+t2n1GQseZzrthAInSj3h+oTC/4awa9O19DdzQk4rx532iXkJD1oQwgWjtqbfMgRt9xKDBxmoUwC9JEQ456E8VQ1L+9AFn2xzaAw96+wtnm/l2ow4wSXNc0QKBgEE9XOnDdba281JvtPqM8V3WNeCy8O0rYEB3PybMsykGBjdTRbvVpsAI7vg58sn3DeSlu4FujyMb7ZWtVxiemmHCYrrN5VmRxr10a+5aeCMuMuBpMHczETYuUwoW3x2H1ndnw5QMWBZS9lKNlA9Mu2BDxwtIIoQ4YwVXNQOhtxmtAoGAEg3BoqpzlqyeSSQJ98QQmuQLcA1hO7fTgljgJXx+qojzTmwvCm1XlQzpfqgefrIu2Sl8+ObcyvlSG3K4/l6WEi6IRGzZDNc+vm7iEqruVH7wSAxrPDwZuYb4SFc5u73368zunbaQT+Tvh7bf8M7fyWn/kOpNZL/cxM8yTpoI6CECgYEAzo+6SrzVnNOcfE45/MNmnxsvjhOwGqQIVFYJP+TiVGz3wR1Gq5uAe9rwvn0rjGqCcgpAgM/jBiyFHtmOjRBAHDXnmad1aWwNiC+M9/+ewFOiVNZkxdEyGod7lv3nQsAs67QaWypeKvL387L+7ITtkZE+eIF25Z2kmKPbRt5A0r4=";
const P256_SCALAR = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"; // RFC 6979 A.2.5 key

function secretsFor(provider) {
  if (provider.kind === "ed25519" || provider.kind === "ecdsa") {
    const algorithm = provider.kind === "ed25519" ? "ed25519" : "p256";
    const seed = provider.kind === "ed25519" ? ED25519_SEED : P256_SCALAR;
    const der = createPublicKey(parsePrivateKey(seed, algorithm)).export({ format: "der", type: "spki" });
    // The public key as the dashboard shows it: Discord 64 hex characters, SendGrid base64 DER.
    const publicKey = provider.kind === "ed25519" ? der.subarray(der.length - 32).toString("hex") : der.toString("base64");
    return { sign: seed, verify: publicKey };
  }
  if (["standard-webhooks", "svix", "clerk", "resend"].includes(provider.id) || provider.aliasOf === "standard-webhooks") {
    return { sign: STANDARD_WEBHOOKS_SECRET, verify: STANDARD_WEBHOOKS_SECRET };
  }
  if (provider.kind === "jwt" && provider.id === "wix") {
    const publicKey = createPublicKey({ key: Buffer.from(RSA_PKCS8_DER, "base64"), format: "der", type: "pkcs8" }).export({ format: "der", type: "spki" });
    return { sign: RSA_PKCS8_DER, verify: publicKey.toString("base64") };
  }
  if (provider.kind === "certificate") {
    // Certificates and key ids: PayPal and SNS sign with the RSA test key above, Circle and eBay with the P-256 one;
    // verified with the public key as base64 DER (one line; a certificate works too). PayPal's secret carries the
    // webhook id it signs.
    const rsa = provider.id === "paypal" || provider.id === "sns";
    const privateKey = rsa ? RSA_PKCS8_DER : P256_SCALAR;
    const der = rsa
      ? createPublicKey({ key: Buffer.from(RSA_PKCS8_DER, "base64"), format: "der", type: "pkcs8" }).export({ format: "der", type: "spki" })
      : createPublicKey(parsePrivateKey(P256_SCALAR, "p256")).export({ format: "der", type: "spki" });
    const prefix = provider.id === "paypal" ? "WH-HOOKTAPE0TEST0ONLY-0WEBHOOK0ID:" : "";
    return { sign: prefix + privateKey, verify: prefix + der.toString("base64") };
  }
  if (["chargebee", "postmark", "pipedrive"].includes(provider.id)) {
    // HTTP Basic credentials, as user:password.
    const secret = `hooktape:test-only-${provider.id}-password`;
    return { sign: secret, verify: secret };
  }
  if (provider.id === "airtable" || provider.id === "teams") {
    // Both key the HMAC with the base64-decoded secret their dashboards show.
    const secret = Buffer.from(`hooktape-test-only-${provider.id}-secret`).toString("base64");
    return { sign: secret, verify: secret };
  }
  if (provider.id === "adyen") {
    // Adyen's HMAC keys are hex, 64 characters as the Customer Area shows them.
    const secret = Buffer.from("hooktape-test-only-adyen-hmac-key").toString("hex").slice(0, 64).toUpperCase();
    return { sign: secret, verify: secret };
  }
  const secret = provider.id === "stripe" ? "whsec_hooktape_test_only_not_a_real_secret" : `hooktape-test-only-${provider.id}-secret`;
  return { sign: secret, verify: secret };
}

// Each fixture's body is the provider's built-in sample event (the one `check` sends), with fixed ids, written
// byte for byte the way that provider writes its deliveries (pretty, compact, `\/`-escaped, ASCII-only, ...).
function bodyFor(provider) {
  const sample = sampleSubject(provider, SIGNED_AT * 1000, fixedIds());
  return { text: sample.body.toString("utf8"), headers: sample.headers };
}

function run(args) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

mkdirSync(outDir, { recursive: true });
for (const name of readdirSync(outDir)) if (name.endsWith(".json")) rmSync(join(outDir, name));

const rows = [];
for (const provider of providers) {
  const secrets = secretsFor(provider);
  const body = bodyFor(provider);
  const path = `/webhooks/${provider.id}`;
  const file = join(outDir, `${provider.id}.json`);
  const args = ["sign", "--provider", provider.id, "--secret", secrets.sign, "--body", body.text, "--timestamp", String(SIGNED_AT)];
  args.push("--id", `msg_hooktape_fixture_${provider.id.replace(/-/g, "_")}`, "--path", path);
  for (const [name, value] of body.headers) args.push("--header", `${name}: ${value}`);
  args.push("--format", "fixture", "--out", file);
  let result = run(args);
  if (result.status !== 0 && /url/i.test(result.stderr)) {
    // URL-signing schemes (Twilio, Square, ...) sign the public URL the sender calls.
    result = run([...args, "--url", BASE_URL + path]);
  }
  if (result.status !== 0) {
    process.stderr.write(`${provider.id}: ${result.stderr}`);
    process.exitCode = 1;
    continue;
  }
  if (provider.kind === "token") {
    // The token IS the secret: the fixture holds "[redacted]" and is sent with --resign.
    rows.push(`| \`${provider.id}\` | [${provider.id}.json](${provider.id}.json) | \`${secrets.sign}\` | (the token is the secret: the fixture holds "[redacted]"; send it with \`--resign\`) |`);
    continue;
  }
  const check = run(["verify", "--fixture", file, "--secret", secrets.verify, "--now", String(SIGNED_AT)]);
  if (check.status !== 0) {
    process.stderr.write(`${provider.id}: the fixture does not verify: ${check.stdout}${check.stderr}`);
    process.exitCode = 1;
  }
  rows.push(`| \`${provider.id}\` | [${provider.id}.json](${provider.id}.json) | \`${secrets.sign}\` | \`${secrets.verify}\` |`);
}

writeFileSync(
  join(outDir, "README.md"),
  `# Example fixtures

One signed example delivery per provider, in the hooktape fixture format (see ../docs/signing.md). They are
generated by \`node scripts/make-fixtures.mjs\` (after \`npm run build\`) and used by hooktape's own tests and by
the CI guide (../docs/ci.md). Every fixture is signed at ${SIGNED_AT} (${new Date(SIGNED_AT * 1000).toISOString()}).

**The secrets below are TEST-ONLY values, published on purpose. They are not, and never were, anyone's real
secrets; never configure them in a real endpoint.** The Ed25519 and P-256 keys are the well-known test keys of
RFC 8032 (test 1) and RFC 6979 (A.2.5); the signing key is given as hex, which \`--secret\` accepts.

Check one: \`hooktape verify --fixture fixtures/stripe.json --secret <verify secret> --now ${SIGNED_AT}\`.
Send them re-signed to a handler: \`hooktape send fixtures/stripe.json --to 3000 --resign --secret <sign secret>\`.

| provider | fixture | secret to sign with | secret to verify with |
| --- | --- | --- | --- |
${rows.join("\n")}
`,
);
process.stdout.write(`Wrote ${rows.length} fixtures to ${outDir}\n`);
