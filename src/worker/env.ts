import type { RelayChannel } from "./channel.js";
import type { RelayDirectory } from "./directory.js";

/** The worker's bindings: set by `relay deploy` (Cloudflare's upload metadata) and `relay serve` (workerd's config). */
export interface RelayEnv {
  CHANNELS: DurableObjectNamespace<RelayChannel>;
  DIRECTORY: DurableObjectNamespace<RelayDirectory>;
  /** Hex SHA-256 of the admin token: the token itself never leaves the user's machine. */
  ADMIN_TOKEN_SHA256?: string;
  /** "1" on Cloudflare, where CF-Connecting-IP is the edge's and a sender cannot forge it; unset under workerd. */
  TRUST_CF_HEADERS?: string;
}
