import { describe, expect, it, vi } from "vitest";
import { startTunnel } from "../../src/tunnel/index.js";
import { startOrigin } from "./helpers.js";

// This test opens a REAL Cloudflare quick tunnel: it needs the internet (api.trycloudflare.com,
// Cloudflare's edge on port 7844, and github.com if cloudflared must be downloaded), which CI
// machines and the default suite do not have. It runs only when asked:
//   HOOKTAPE_REAL_TUNNEL=1 npx vitest run test/tunnel/real-tunnel.test.ts
// Everything else about the tunnel is covered against test/fake-cloudflared.
const wanted = process.env.HOOKTAPE_REAL_TUNNEL === "1";

describe("a real Cloudflare quick tunnel", () => {
  it.runIf(wanted)(
    "carries a request from the internet to the local origin",
    async () => {
      const origin = await startOrigin();
      const handle = await startTunnel({ originUrl: origin.url, timeoutMs: 60_000, logger: console });
      try {
        expect(handle.publicUrl).toMatch(/^https:\/\/[a-z0-9-]+\.trycloudflare\.com$/);
        const body = JSON.stringify({ id: "evt_real_tunnel", sent: Date.now() });
        // A fresh hostname can take a few seconds to resolve and route.
        const status = await vi.waitFor(
          async () => {
            const response = await fetch(`${handle.publicUrl}/hooktape-real-tunnel?x=1`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body,
            });
            if (response.status !== 201) throw new Error(`status ${response.status}`);
            return response.status;
          },
          { timeout: 45_000, interval: 1_000 },
        );
        expect(status).toBe(201);
        const received = origin.requests.find((request) => request.url === "/hooktape-real-tunnel?x=1");
        expect(received?.body.toString()).toBe(body);
        expect(received?.rawHeaders.map((name) => name.toLowerCase())).toContain("cf-connecting-ip");
      } finally {
        await handle.stop();
        await origin.close();
      }
    },
    120_000,
  );
});
