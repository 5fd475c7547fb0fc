import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateKeyPair, parsePrivateKey, parsePublicKey } from "../../src/providers/keys.js";
import { discord } from "../../src/providers/discord.js";
import { sendgrid } from "../../src/providers/sendgrid.js";
import { KeyFormatError } from "../../src/providers/types.js";
import { signedRequest } from "./helpers.js";

const T = 1_800_000_000;

describe("key formats", () => {
  it("accepts an Ed25519 private key as PEM, base64 DER and hex seed, all signing the same way", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const der = privateKey.export({ format: "der", type: "pkcs8" });
    const seedHex = der.subarray(der.length - 32).toString("hex");
    const signWith = (secret: string) => signedRequest(discord, { body: "{}", secret, timestamp: T }).headers;
    expect(signWith(der.toString("base64"))).toEqual(signWith(pem));
    expect(signWith(seedHex)).toEqual(signWith(pem));
  });

  it("accepts a P-256 private key as PEM, base64 DER and 64-hex scalar", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const der = privateKey.export({ format: "der", type: "pkcs8" });
    const scalar = Buffer.from(privateKey.export({ format: "jwk" }).d as string, "base64url").toString("hex");
    const dashboard = publicKey.export({ format: "der", type: "spki" }).toString("base64");
    for (const secret of [privateKey.export({ format: "pem", type: "pkcs8" }).toString(), der.toString("base64"), scalar]) {
      const signed = signedRequest(sendgrid, { body: "[]", secret, timestamp: T });
      expect(sendgrid.verify(signed, [dashboard], { now: T }).valid).toBe(true);
    }
  });

  it("names the expected formats when a key is unusable", () => {
    expect(() => parsePublicKey("abc", "ed25519")).toThrow(KeyFormatError);
    expect(() => parsePublicKey("abc", "ed25519")).toThrow(/64-hex-character/);
    expect(() => parsePublicKey("abc", "p256")).toThrow(/MFkw/);
    expect(() => parsePrivateKey("abc", "p256")).toThrow(/PKCS#8 PEM/);
    expect(() => discord.sign({ body: Buffer.from("{}"), secret: "not a key", timestamp: T, id: "x", method: "POST", headers: [] })).toThrow(KeyFormatError);
  });

  it("refuses a key of the other algorithm, and a public key where a private one is needed", () => {
    const ed = generateKeyPair("discord");
    const ec = generateKeyPair("sendgrid");
    expect(() => parsePrivateKey(ed.privateKey, "p256")).toThrow(/P-256/);
    expect(() => parsePublicKey(ec.publicKey, "ed25519")).toThrow(KeyFormatError);
    const pubPem = `-----BEGIN PUBLIC KEY-----\n${ec.publicKey}\n-----END PUBLIC KEY-----`;
    expect(() => parsePrivateKey(pubPem, "p256")).toThrow(/public key; signing needs the private one/);
  });

  it("keygen prints the private key as PKCS#8 PEM and the public key in the dashboard form", () => {
    const d = generateKeyPair("discord");
    expect(d.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(d.publicKey).toMatch(/^[0-9a-f]{64}$/);
    const s = generateKeyPair("sendgrid");
    expect(s.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(s.publicKey).toMatch(/^MFkw[A-Za-z0-9+/]+=*$/);
    expect(generateKeyPair("discord").publicKey).not.toBe(d.publicKey);
  });
});
