import { randomBytes, sign as signBytes, X509Certificate, type KeyObject } from "node:crypto";

// A self-signed X.509 certificate for the test keys `keygen` makes (PayPal and Amazon SNS hand out certificates, not
// bare keys, and their SDKs read a certificate). node:crypto parses certificates (X509Certificate) but cannot make
// one, so the few DER structures of RFC 5280 a minimal v3 certificate needs are written here; the result is
// checked by parsing it back with X509Certificate and verifying its own signature.

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128);
      if (v < 128) break;
    }
    bytes.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

const SIGNATURE_ALGORITHMS = {
  // sha256WithRSAEncryption with NULL parameters (RFC 4055); ecdsa-with-SHA256 without parameters (RFC 5758).
  rsa: sequence(oid("1.2.840.113549.1.1.11"), Buffer.from([0x05, 0x00])),
  ec: sequence(oid("1.2.840.10045.4.3.2")),
} as const;

/**
 * A self-signed certificate (PEM) for this key pair, valid from a day before `now` for ten years. `serialBytes`
 * (16 random bytes by default) is made a positive, minimally encoded DER INTEGER: a first byte of 0x00 followed by a
 * byte below 0x80 is "illegal padding" to OpenSSL, and a first byte of 0x80 or more would make it negative.
 */
export function selfSignedCertificate(
  privateKey: KeyObject,
  publicKey: KeyObject,
  commonName: string,
  now: Date = new Date(),
  serialBytes: Buffer = randomBytes(16),
): string {
  const type = publicKey.asymmetricKeyType === "rsa" ? "rsa" : "ec";
  const serial = Buffer.from(serialBytes);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x40;
  const name = sequence(set(sequence(oid("2.5.4.3"), tlv(0x0c, Buffer.from(commonName, "utf8")))));
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + 10 * 365 * 86_400_000);
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // [0] EXPLICIT version v3
    tlv(0x02, serial),
    SIGNATURE_ALGORITHMS[type],
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ format: "der", type: "spki" }),
  );
  const signature = signBytes("sha256", tbs, type === "ec" ? { key: privateKey, dsaEncoding: "der" } : privateKey);
  const der = sequence(tbs, SIGNATURE_ALGORITHMS[type], tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END CERTIFICATE-----\n`;
  // Parsed back and checked, so that a mistake here can never hand out a certificate no verifier accepts.
  if (!new X509Certificate(pem).verify(publicKey)) throw new Error("hooktape: the self-signed certificate does not verify");
  return pem;
}
