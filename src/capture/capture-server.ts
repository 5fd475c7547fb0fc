import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { describeError } from "../core/errors.js";
import { respond } from "./answers.js";
import { RequestCapture, type CaptureOptions } from "./capture-request.js";
import { listenOn } from "./listen-on.js";
import { LARGE_BODY_BYTES } from "./read-body.js";
import { applyServerLimits, limitedServerOptions } from "./server-limits.js";
import { createTunnelHop } from "./tunnel-hop.js";
import { createUploadBudget } from "./upload-budget.js";

export interface CaptureServer {
  /** http://host:port */
  url: string;
  port: number;
  /**
   * http://127.0.0.1:<port> of a second listener that only the tunnel's cloudflared is told about. Requests
   * arriving on it with `tunnelHostHeader` as their Host are "via tunnel" and their Cloudflare headers are trusted;
   * any other request is local and they are not.
   */
  tunnelOriginUrl: string;
  /** The Host cloudflared must send to `tunnelOriginUrl` (its `httpHostHeader`): a per-run secret, never printed. */
  tunnelHostHeader: string;
  /** Stops accepting, lets in-flight requests finish (bounded by `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
}

/** How long a whole upload may take after its headers, beyond the forwarding timeout: 25 MB at 100 kB/s is ~4 minutes. */
const UPLOAD_ALLOWANCE_MS = 5 * 60_000;

/** The default memory budget of large uploads in progress: 12 bodies of the default --max-body at once. */
const UPLOADS_IN_MEMORY_BYTES = 64 * 1024 * 1024;

/**
 * Starts the capture server: its public listener and the tunnel's own, each request handed to the server's one
 * RequestCapture, and a close that lets requests in flight finish.
 */
export async function startCaptureServer(options: CaptureOptions): Promise<CaptureServer> {
  const inFlight = new Set<Promise<void>>();
  /** Sockets accepted on the tunnel's own listener: only these may be "via tunnel", and only with the credential. */
  const tunnelSockets = new WeakSet<net.Socket>();
  const tunnelHop = createTunnelHop();
  const uploads = createUploadBudget(Math.max(options.uploadsInMemoryBytes ?? UPLOADS_IN_MEMORY_BYTES, options.maxBodyBytes), LARGE_BODY_BYTES);
  const capture = new RequestCapture(options, tunnelSockets, tunnelHop, uploads);

  const server = http.createServer(
    {
      maxHeaderSize: 64 * 1024,
      ...limitedServerOptions({ headersTimeoutMs: options.headersTimeoutMs, requestAllowanceMs: options.timeoutMs + UPLOAD_ALLOWANCE_MS }),
    },
    (req, res) => {
      // The request's share of the uploads' memory, given back once it is answered, recorded and forwarded.
      const hold = uploads.hold();
      const work = capture.handle(req, res, hold).catch((error: unknown) => {
        options.onNotice({ type: "warning", message: `request failed: ${describeError(error)}` });
        if (!res.headersSent) respond(res, 500, "hooktape: internal error\n");
        else res.destroy();
      });
      inFlight.add(work);
      void work.finally(() => {
        hold.release();
        inFlight.delete(work);
      });
    },
  );
  // Malformed HTTP and requests past their timeouts are answered by Node's parser (400, 431, 408), closed, and never
  // recorded; the server keeps serving.
  applyServerLimits(server, { maxConnections: options.maxConnections });

  await listenOn(server, options.port, options.host);
  // The tunnel's listener: loopback only, the port cloudflared is given. Its sockets are handed to the same HTTP
  // server, marked, so that a request on one that carries the tunnel's credential is known to come through
  // Cloudflare's edge.
  const tunnelListener = net.createServer((socket) => {
    tunnelSockets.add(socket);
    server.emit("connection", socket);
  });
  tunnelListener.maxConnections = server.maxConnections;
  await listenOn(tunnelListener, 0, "127.0.0.1");
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    tunnelOriginUrl: `http://127.0.0.1:${(tunnelListener.address() as AddressInfo).port}`,
    tunnelHostHeader: tunnelHop.hostHeader,
    async close(graceMs = 10_000) {
      tunnelListener.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const settled = Promise.allSettled([...inFlight]);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([settled, timedOut]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
    },
  };
}
