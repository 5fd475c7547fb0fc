import { defineTokenScheme, type TokenSchemeSpec } from "./token-scheme.js";
import type { Provider } from "../types.js";

/**
 * Senders that authenticate with HTTP Basic credentials configured on the webhook (the secret is `user:password`) and
 * sign nothing: the token scheme with `Authorization: Basic base64(user:password)`. None of them covers the body, so a
 * changed body still verifies (that is what these senders offer; `check` skips its body forgeries for them).
 * `Authorization: Basic` is every Basic-auth sender's header: these are never auto-detected (name them with --provider).
 */
export function defineBasicAuthScheme(spec: Omit<TokenSchemeSpec, "tokenHeader" | "form" | "headers" | "detect">): Provider {
  return defineTokenScheme({ ...spec, tokenHeader: "Authorization", form: "basic", headers: ["authorization"], detect: () => false });
}
