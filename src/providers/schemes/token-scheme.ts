import { assertSecrets, failureFor, mismatchHint } from "../checks.js";
import { tokensEqual } from "../compare.js";
import { findHeader } from "../headers.js";
import type { HeaderPairs } from "../../core/types.js";
import { deliveryKnowledgeOf, KeyFormatError } from "../types.js";
import type { DeliveryKnowledge, Provider, SignInput } from "../types.js";

/**
 * How the shared secret travels: as it is (GitLab's X-Gitlab-Token, Okta's Authorization), or as HTTP Basic
 * credentials, `Authorization: Basic base64(user:password)` (Chargebee, Postmark, Pipedrive), the secret then being
 * `user:password`.
 */
export type TokenForm = "raw" | "basic";

/**
 * A sender that proves itself with a shared secret in a header, not a MAC. Nothing about the body is proved: the
 * hints say so, and `check` skips the body forgeries for these schemes (its verifier accepts a changed body).
 */
export interface TokenSchemeSpec extends DeliveryKnowledge {
  id: string;
  name: string;
  docs: string;
  tokenHeader: string;
  /** Default `raw`. */
  form?: TokenForm;
  headers: readonly string[];
  /** Default: the token header is present. Senders that share a generic header (Authorization) pass `() => false`. */
  detect?: (headers: HeaderPairs) => boolean;
  extraHeaders?: (input: SignInput) => HeaderPairs;
}

const BASIC_RE = /^basic\s+/i;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
const NO_BODY = "this scheme proves who sent the request, not what it contains: the body is not covered";

/** The `user:password` of a Basic Authorization value, or null when it is not canonical base64 of one. */
function basicCredentials(value: string): string | null {
  if (!BASIC_RE.test(value)) return null;
  const encoded = value.replace(BASIC_RE, "").trim();
  if (!BASE64_RE.test(encoded)) return null;
  const bytes = Buffer.from(encoded, "base64");
  // Lenient decoders ignore stray trailing bits: only a value that re-encodes to itself counts.
  if (bytes.toString("base64") !== encoded) return null;
  const text = bytes.toString("utf8");
  return text.includes(":") ? text : null;
}

export function defineTokenScheme(spec: TokenSchemeSpec): Provider {
  const name = spec.tokenHeader.toLowerCase();
  const form = spec.form ?? "raw";
  const fail = failureFor(spec.id);
  return {
    id: spec.id,
    name: spec.name,
    kind: "token",
    ...(form === "basic" ? { secretForm: "basic" as const } : {}),
    headers: spec.headers,
    toleranceSec: null,
    rejectsFuture: false,
    ...deliveryKnowledgeOf(spec),
    docs: spec.docs,
    detect: spec.detect ?? ((headers) => findHeader(headers, name) !== undefined),
    sign(input) {
      assertSecrets([input.secret]);
      let value = input.secret;
      if (form === "basic") {
        if (!input.secret.includes(":")) throw new KeyFormatError(`${spec.name} authenticates with HTTP Basic credentials: pass the secret as user:password`);
        value = `Basic ${Buffer.from(input.secret, "utf8").toString("base64")}`;
      }
      return { headers: [[spec.tokenHeader, value], ...(spec.extraHeaders?.(input) ?? [])] };
    },
    verify(request, secrets) {
      assertSecrets(secrets);
      const token = findHeader(request.headers, name);
      if (token === undefined) return fail("missing_header", `no ${spec.tokenHeader} header`);
      let presented = token;
      if (form === "basic") {
        const credentials = basicCredentials(token.trim());
        if (credentials === null) return fail("malformed_header", `${spec.tokenHeader} is not in the form Basic <base64 of user:password>`);
        presented = credentials;
      }
      if (secrets.length === 0) return fail("no_secret");
      if (form === "basic" && !secrets.some((s) => s.includes(":"))) return fail("malformed_key", "pass the Basic credentials as user:password");
      if (secrets.some((s) => tokensEqual(s, presented))) return { valid: true, provider: spec.id };
      if (secrets.some((s) => s.trim() !== s)) return fail("no_matching_signature", mismatchHint(secrets));
      const what = form === "basic" ? "the Basic credentials are not the configured user:password" : `the ${spec.tokenHeader} value is not the configured secret token`;
      return fail("no_matching_signature", `${what} (${NO_BODY})`);
    },
  };
}
