/**
 * The environment for a child process hooktape starts (`--on-url`, `--on-exit`, `gh auth token`): the caller's,
 * without hooktape's signing secrets and tunnel token. Secrets never reach a child process (SPEC "Global
 * behaviour"). The user's own API credentials (STRIPE_API_KEY, GITHUB_TOKEN) stay: they were the user's before
 * hooktape ran, and a script pointing a provider at the URL needs them.
 */
export function secretFreeEnv(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name.startsWith("HOOKTAPE_SECRET_") || name === "HOOKTAPE_TUNNEL_TOKEN") continue;
    out[name] = value;
  }
  return { ...out, ...extra };
}
