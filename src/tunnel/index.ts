// The tunnel: the only folder that imports the `cloudflared` package.
export { startTunnel } from "./start-tunnel.js";
export type { StartTunnelOptions, TunnelConnection, TunnelHandle } from "./start-tunnel.js";
export type { InstallProgress, TunnelLogger } from "./install-binary.js";
export { installCloudflared } from "./install-binary.js";
export { cachedCloudflaredPath, defaultCacheDir, resolveCloudflaredBinary } from "./resolve-binary.js";
export type { CloudflaredSource, ResolveCloudflaredOptions, ResolvedCloudflared } from "./resolve-binary.js";
export { TunnelError } from "./tunnel-error.js";
