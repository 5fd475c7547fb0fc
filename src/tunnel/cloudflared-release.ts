/**
 * The cloudflared release hooktape installs, pinned, with the SHA-256 of each platform's asset. A download whose
 * sum differs is refused before it is made executable. To move to a newer release: change the version and every
 * sum together, from the release's own notes (https://github.com/cloudflare/cloudflared/releases), and check one
 * against the "Checksum" cloudflared logs at start-up ("INF Version 2026.8.3 (Checksum f29324…)").
 */
export const CLOUDFLARED_RELEASE = "2026.8.3";

export const CLOUDFLARED_RELEASE_BASE = `https://github.com/cloudflare/cloudflared/releases/download/${CLOUDFLARED_RELEASE}`;

export interface ReleaseAsset {
  /** The file name on the release page. */
  name: string;
  sha256: string;
  /** macOS builds come as a .tgz holding the `cloudflared` binary; the others are the binary itself. */
  archive: "tgz" | null;
}

const ASSETS: Readonly<Record<string, ReleaseAsset>> = {
  "linux-x64": { name: "cloudflared-linux-amd64", sha256: "f29324fe934d1e100617484c78deef803c4dc2cd351d645bbde42e96b4fccc5e", archive: null },
  "linux-arm64": { name: "cloudflared-linux-arm64", sha256: "4bcfd35521a7cbc545ebfd5d57334a71ee180e2a64874981f374c81472118391", archive: null },
  "darwin-x64": { name: "cloudflared-darwin-amd64.tgz", sha256: "61e1316266a00fd70ce40da011d612badc805367fb65293dd1925f938f704c99", archive: "tgz" },
  "darwin-arm64": { name: "cloudflared-darwin-arm64.tgz", sha256: "40c9144d86df8937c5b43293a1f7d2d2107029aa74725023dd46b1b27154352f", archive: "tgz" },
  "win32-x64": { name: "cloudflared-windows-amd64.exe", sha256: "83e726ed18ea78c5ad5213c4c3a3a27051393950d2bc8ed4de69bec12d14eaae", archive: null },
};

/** The asset for a platform and CPU (`process.platform`, `process.arch`), or null where no sum is pinned. */
export function releaseAsset(platform: string, arch: string): ReleaseAsset | null {
  return ASSETS[`${platform}-${arch}`] ?? null;
}
