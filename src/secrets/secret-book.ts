import { isKnownProviderId } from "../providers/provider-modules.js";
import { secretExample } from "../providers/secrets.js";
import type { Provider } from "../providers/types.js";

/** Where a command's secrets come from: its flags and its environment. */
export interface SecretSources {
  /** `--secret` values, then the lines of each `--secret-file`, in the order given (rotation). */
  flagValues: readonly string[];
  env: NodeJS.ProcessEnv;
  /** `--provider`: the provider an unnamed `--secret` belongs to when signing or answering. */
  namedProvider?: string | undefined;
}

/**
 * A command's secrets, by provider: what the flags and the environment give, and what the run learns (the signing
 * secret a provider returns for an endpoint `--register` created, a relay channel's registrations). One order
 * everywhere: the learned secrets first (they are the endpoint's own, which the provider signs with now: what signs
 * takes the first), then the given ones (`--secret`/`--secret-file` values meant for the provider, else
 * `HOOKTAPE_SECRET_<ID>`), each secret once. Held in memory only.
 */
export interface SecretBook {
  /** The provider an unnamed `--secret` signs for (`--provider`, or the provider a command is about). */
  readonly namedProvider: string | undefined;
  /**
   * The secrets to VERIFY a request of `providerId` with. A value applies to another provider only when the text
   * before its first `=` is a provider id (`--secret github=abc`); anything else is unnamed, because real secrets
   * contain `=` (base64 padding, `whsec_...=`) and are never split. An unnamed secret is tried on whatever provider a
   * request's headers name: verifying yields a verdict for the user, never anything keyed with the secret.
   */
  verifying(providerId: string): readonly string[];
  /**
   * The secrets to SIGN or ANSWER for `providerId` with (re-sign a replay, a send or a preview, answer a handshake,
   * register a hook): those named for that provider (`--secret <id>=…`, an `<id>=` line of a `--secret-file`,
   * `HOOKTAPE_SECRET_<ID>`, a learned one), and an unnamed one only when `--provider` names this provider, or when
   * `signedWith` says it verifies the signature the event or fixture being re-signed already carries.
   *
   * A request's provider is whatever its headers claim, and anyone can send any headers: an unnamed secret handed to
   * the provider a stranger picked would sign a message of their choosing in that provider's format (X's CRC answer
   * is an HMAC of a token, which is a valid Mailgun signature of `timestamp+token`), or, for a token scheme (GitLab's
   * X-Gitlab-Token), be sent as it is. A secret that verifies a delivery's own signature is that sender's already.
   */
  signing(providerId: string, signedWith?: (secret: string) => boolean): readonly string[];
  /** Adds a secret the run learned for `providerId`; every later lookup returns it, ahead of the given ones. */
  learn(providerId: string, secret: string): void;
}

export function createSecretBook(sources: SecretSources): SecretBook {
  const learned = new Map<string, string[]>();
  const given = new Map<string, Array<{ value: string; named: boolean }>>();
  const givenFor = (providerId: string) => {
    let found = given.get(providerId);
    if (found === undefined) given.set(providerId, (found = secretFlagsFor(providerId, sources.flagValues)));
    return found;
  };
  const withLearned = (providerId: string, configured: readonly string[]): readonly string[] => {
    const extra = learned.get(providerId);
    return extra === undefined ? configured : [...new Set([...extra, ...configured])];
  };
  return {
    namedProvider: sources.namedProvider,
    verifying(providerId) {
      const flags = givenFor(providerId).map(({ value }) => value);
      return withLearned(providerId, flags.length > 0 ? flags : secretFromEnv(providerId, sources.env));
    },
    signing(providerId, signedWith) {
      const unnamedServes = namesProvider(sources.namedProvider, providerId) ? () => true : (signedWith ?? (() => false));
      const flags = givenFor(providerId)
        .filter(({ named, value }) => named || unnamedServes(value))
        .map(({ value }) => value);
      return withLearned(providerId, flags.length > 0 ? flags : secretFromEnv(providerId, sources.env));
    },
    learn(providerId, secret) {
      const list = learned.get(providerId);
      if (list === undefined) learned.set(providerId, [secret]);
      else if (!list.includes(secret)) list.push(secret);
    },
  };
}

/** `HOOKTAPE_SECRET_<ID>`: the id upper-cased, `-` as `_`. */
export function secretEnvName(providerId: string): string {
  return `HOOKTAPE_SECRET_${providerId.toUpperCase().replace(/-/g, "_")}`;
}

/** True when `--provider` names this provider (case and surrounding spaces aside). */
export function namesProvider(namedProvider: string | undefined, providerId: string): boolean {
  return namedProvider?.trim().toLowerCase() === providerId;
}

/**
 * How to give `provider` a secret to sign with, for the message when there is none: `--secret <secret>` when
 * `--provider` names it, else the named form, which an unnamed `--secret` must take.
 */
export function signingSecretFlag(provider: Pick<Provider, "id" | "kind" | "name">, namedProvider: string | undefined): string {
  const example = secretExample(provider, "sign");
  return namesProvider(namedProvider, provider.id) ? `--secret ${example}` : `--secret ${provider.id}=${example}`;
}

/** The `--secret` values that may be `providerId`'s, in the order given (rotation), each marked named or not. */
function secretFlagsFor(providerId: string, flagValues: readonly string[]): Array<{ value: string; named: boolean }> {
  const found: Array<{ value: string; named: boolean }> = [];
  for (const value of flagValues) {
    const eq = value.indexOf("=");
    const prefix = eq > 0 ? value.slice(0, eq) : "";
    if (prefix !== "" && isKnownProviderId(prefix)) {
      if (prefix === providerId && eq + 1 < value.length) found.push({ value: value.slice(eq + 1), named: true });
    } else if (value.length > 0) {
      found.push({ value, named: false });
    }
  }
  return found;
}

function secretFromEnv(providerId: string, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = env[secretEnvName(providerId)];
  return fromEnv !== undefined && fromEnv.length > 0 ? [fromEnv] : [];
}

/**
 * The values of a `--secret-file`: one per line, read exactly as `--secret` values (so `provider=` prefixes work);
 * surrounding whitespace and a CR are dropped (editors add them, secrets never end in them), and blank lines and
 * `#` comments are skipped.
 */
export function parseSecretLines(text: string): string[] {
  const values: string[] = [];
  for (const line of text.split("\n")) {
    const value = line.trim();
    if (value === "" || value.startsWith("#")) continue;
    values.push(value);
  }
  return values;
}
