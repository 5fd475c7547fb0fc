// A correct handler for any provider of the catalogue, for the test that runs `check` against all of them: it verifies
// with hooktape's own verifier (each scheme is checked against its provider's SDK or documented vectors in
// test/sdk and test/providers), deduplicates on the places the provider names its events (its dedup keys: a delivery
// is a duplicate when any of them repeats a value already processed, so a "new" event that keeps one of them is
// caught), and answers at once. GET /__state reports what it processed, for `check --probe`.
import http from "node:http";
import { dedupValues } from "../../src/providers/dedup.js";
import type { Provider } from "../../src/providers/types.js";
import { pairs } from "../helpers/headers.js";
import { serveOnLoopback, type Served } from "../helpers/target-server.js";

export interface VerifyingHandler extends Served {
  processed: number;
  /** Why deliveries were refused, for a failing test's message. */
  refusals: string[];
}

export async function startVerifyingHandler(provider: Provider, verifySecret: string): Promise<VerifyingHandler> {
  const seen = new Set<string>();
  const state = { processed: 0, refusals: [] as string[] };
  let origin = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/__state") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ processed: state.processed }));
        return;
      }
      const request = { method: req.method ?? "POST", url: origin + (req.url ?? "/"), headers: pairs(req.rawHeaders), body: Buffer.concat(chunks) };
      const verdict = provider.verify(request, [verifySecret], { now: Math.floor(Date.now() / 1000), url: request.url });
      if (!verdict.valid) {
        state.refusals.push(`${verdict.reason}${verdict.hint === undefined ? "" : `: ${verdict.hint}`}`);
        res.writeHead(401, { "content-type": "text/plain" }).end(verdict.reason);
        return;
      }
      const ids = provider.dedup.keys.flatMap((key, i) => dedupValues(request, key).map((value) => `${i}:${value}`));
      if (ids.length === 0 || !ids.some((id) => seen.has(id))) {
        for (const id of ids) seen.add(id);
        state.processed++;
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  const served = await serveOnLoopback(server);
  origin = served.url;
  return {
    ...served,
    get processed() {
      return state.processed;
    },
    refusals: state.refusals,
  };
}
