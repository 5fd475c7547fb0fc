// A Standard Webhooks handler as people write it: the `standardwebhooks` library verifies, the webhook-id is the
// dedup key (recorded before the work), and it answers at once. With `firstSignatureOnly` it hands the library only
// the first entry of webhook-signature (`header.split(" ")[0]`), a bug that refuses every delivery signed during a
// key rotation, when the first entry is under the old key. GET /state reports what it processed, for `check --probe`.
import { Webhook } from "standardwebhooks";
import { headerRecord, pairs } from "../helpers/headers.js";
import { serveOnLoopback, type Served } from "../helpers/target-server.js";
import { handlerServer } from "./serve.js";

export interface StandardWebhooksHandler extends Served {
  processed: string[];
}

export async function startStandardWebhooksHandler(secret: string, bugs: { firstSignatureOnly?: boolean } = {}): Promise<StandardWebhooksHandler> {
  const processed: string[] = [];
  const seen = new Set<string>();
  const webhook = new Webhook(secret);
  const server = handlerServer(
    () => ({ processed: processed.length, ids: processed }),
    (req, body, res) => {
      const headers = headerRecord(pairs(req.rawHeaders));
      if (bugs.firstSignatureOnly) headers["webhook-signature"] = (headers["webhook-signature"] ?? "").split(" ")[0] ?? "";
      try {
        webhook.verify(body.toString("utf8"), headers);
      } catch (error) {
        res.writeHead(400, { "content-type": "text/plain" }).end((error as Error).message);
        return;
      }
      const id = headers["webhook-id"] ?? "";
      if (!seen.has(id)) {
        seen.add(id);
        processed.push(id);
      }
      res.writeHead(204).end();
    },
  );
  return { ...(await serveOnLoopback(server)), processed };
}
