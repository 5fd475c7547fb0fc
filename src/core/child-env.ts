/**
 * The environment a child process (cloudflared, an --on-url command) gets: the parent's, without hooktape's
 * secrets. `HOOKTAPE_SECRET_<PROVIDER>` and `HOOKTAPE_TUNNEL_TOKEN` are for hooktape alone (SPEC: secrets are never
 * passed to a child process), and a stray `TUNNEL_TOKEN` would turn a quick tunnel into someone's named one. The
 * credentials `--fetch-certs` sends to Circle's and eBay's key APIs (`HOOKTAPE_CIRCLE_API_KEY`, `HOOKTAPE_EBAY_TOKEN`)
 * are secrets too, and so are the relay's tokens.
 */
export function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (isSecretVariable(name)) continue;
    clean[name] = value;
  }
  return clean;
}

export function isSecretVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    upper.startsWith("HOOKTAPE_SECRET_") ||
    upper === "HOOKTAPE_TUNNEL_TOKEN" ||
    upper === "TUNNEL_TOKEN" ||
    upper === "HOOKTAPE_CIRCLE_API_KEY" ||
    upper === "HOOKTAPE_EBAY_TOKEN" ||
    // The relay's: a channel's read token, the admin token, and the Cloudflare API token `relay deploy` uses.
    upper === "HOOKTAPE_RELAY_TOKEN" ||
    upper === "HOOKTAPE_RELAY_ADMIN_TOKEN" ||
    upper === "CLOUDFLARE_API_TOKEN"
  );
}
