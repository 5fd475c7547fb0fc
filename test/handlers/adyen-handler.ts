// An Adyen standard-webhook handler as people write it with @adyen/api-library's HmacValidator, deduplicating by
// each item's pspReference and eventCode. GET /state reports what it processed, for `check --probe`.
// - `firstItemOnly`: validates notificationItems[0] alone (the SDK README's snippet) and then processes every item:
//   a forged later item goes through.
// - `onForgery`: what it does with a batch that does not verify. "reject" answers 401; "acknowledge" answers
//   "[accepted]" and processes nothing — Adyen's documented pattern (acknowledge every notification, drop the bad
//   ones), which is correct; "process" answers "[accepted]" and processes it anyway, the bug.
import { HmacValidator } from "../helpers/adyen-hmac-validator.js";
import { serveOnLoopback, type Served } from "../helpers/target-server.js";
import { handlerServer } from "./serve.js";

type Item = Parameters<HmacValidator["validateHMAC"]>[0] & { pspReference: string; eventCode: string };

export interface AdyenHandlerOptions {
  firstItemOnly?: boolean;
  onForgery?: "reject" | "acknowledge" | "process";
}

export interface AdyenHandler extends Served {
  processed: string[];
}

export async function startAdyenHandler(hmacKey: string, options: AdyenHandlerOptions = {}): Promise<AdyenHandler> {
  const processed: string[] = [];
  const seen = new Set<string>();
  const validator = new HmacValidator();
  const onForgery = options.onForgery ?? "reject";
  const server = handlerServer(
    () => ({ processed: processed.length, ids: processed }),
    (_req, body, res) => {
      let items: Item[];
      try {
        items = (JSON.parse(body.toString("utf8")) as { notificationItems: Array<{ NotificationRequestItem: Item }> }).notificationItems.map(
          (wrapper) => wrapper.NotificationRequestItem,
        );
      } catch {
        res.writeHead(400).end("not a notification");
        return;
      }
      const checked = options.firstItemOnly ? items.slice(0, 1) : items;
      let valid: boolean;
      try {
        valid = checked.length > 0 && checked.every((item) => validator.validateHMAC(item, hmacKey));
      } catch {
        valid = false;
      }
      if (!valid && onForgery === "reject") {
        res.writeHead(401).end("invalid HMAC signature");
        return;
      }
      if (valid || onForgery === "process") {
        for (const item of items) {
          const id = `${item.pspReference}:${item.eventCode}`;
          if (seen.has(id)) continue;
          seen.add(id);
          processed.push(id);
        }
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("[accepted]");
    },
  );
  return { ...(await serveOnLoopback(server)), processed };
}
