/**
 * The environment a child process (cloudflared, an `--on-url`/`--on-exit` command, `gh auth token`) gets: the
 * parent's, without any credential hooktape itself reads. Secrets are for hooktape alone: a child is another program,
 * and `--on-url` runs whatever the user typed, where a logging or curl-ing script would spread them further.
 */
export function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (isSecretVariable(name)) continue;
    clean[name] = value;
  }
  return clean;
}

/**
 * The credentials hooktape reads from the environment, by name: the API keys `listen --register` and the relay use
 * (STRIPE_API_KEY, GITHUB_TOKEN, CLOUDFLARE_API_TOKEN), a named tunnel's token (TUNNEL_TOKEN would also turn a quick
 * tunnel into someone's named one), and every `HOOKTAPE_*` variable that holds a secret, a token, a key or a password
 * (`HOOKTAPE_SECRET_<PROVIDER>`, `HOOKTAPE_VERIFY_TOKEN_<FAMILY>`, `HOOKTAPE_TUNNEL_TOKEN`, `HOOKTAPE_CIRCLE_API_KEY`,
 * `HOOKTAPE_EBAY_TOKEN`, the relay's tokens, and any added later under the same naming).
 */
const SECRET_VARIABLES = new Set(["STRIPE_API_KEY", "GITHUB_TOKEN", "CLOUDFLARE_API_TOKEN", "TUNNEL_TOKEN"]);
const SECRET_WORDS = /(^|_)(SECRET|TOKEN|KEY|PASSWORD|CREDENTIALS?)(_|$)/;

export function isSecretVariable(name: string): boolean {
  const upper = name.toUpperCase();
  if (SECRET_VARIABLES.has(upper)) return true;
  return upper.startsWith("HOOKTAPE_") && SECRET_WORDS.test(upper.slice("HOOKTAPE_".length));
}
