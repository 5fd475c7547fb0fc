import { assertSecrets, mismatchHint } from "./checks.js";
import { tokensEqual } from "./compare.js";
import { findHeader } from "./headers.js";
import type { HeaderPairs } from "../core/types.js";
import type { Provider, RetryPolicy, SignInput } from "./types.js";

/** A sender that proves itself with a shared token in a header (GitLab's X-Gitlab-Token), not a MAC. */
export interface TokenSchemeSpec {
  id: string;
  name: string;
  docs: string;
  tokenHeader: string;
  headers: readonly string[];
  detect?: (headers: HeaderPairs) => boolean;
  extraHeaders?: (input: SignInput) => HeaderPairs;
  retry: RetryPolicy;
  deadlineMs: number;
  /** True when the provider documents the deadline (see Provider.deadlinePublished). */
  deadlinePublished?: boolean;
}

export function defineTokenScheme(spec: TokenSchemeSpec): Provider {
  const name = spec.tokenHeader.toLowerCase();
  return {
    id: spec.id,
    name: spec.name,
    kind: "token",
    headers: spec.headers,
    toleranceSec: null,
    rejectsFuture: false,
    deadlineMs: spec.deadlineMs,
    ...(spec.deadlinePublished === true ? { deadlinePublished: true } : {}),
    retry: spec.retry,
    docs: spec.docs,
    detect: spec.detect ?? ((headers) => findHeader(headers, name) !== undefined),
    sign(input) {
      assertSecrets([input.secret]);
      return { headers: [[spec.tokenHeader, input.secret], ...(spec.extraHeaders?.(input) ?? [])] };
    },
    verify(request, secrets) {
      assertSecrets(secrets);
      const token = findHeader(request.headers, name);
      if (token === undefined) return { valid: false, provider: spec.id, reason: "missing_header", hint: `no ${spec.tokenHeader} header` };
      if (secrets.length === 0) return { valid: false, provider: spec.id, reason: "no_secret" };
      if (secrets.some((s) => tokensEqual(s, token))) return { valid: true, provider: spec.id };
      const hint = secrets.some((s) => s.trim() !== s) ? mismatchHint(secrets) : `the ${spec.tokenHeader} value is not the configured secret token`;
      return { valid: false, provider: spec.id, reason: "no_matching_signature", hint };
    },
  };
}
