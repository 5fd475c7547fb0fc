// The handler stand-ins listen the same way: port 0 on 127.0.0.1, and a close that drops kept-alive sockets.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Served {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveOnLoopback(server: http.Server): Promise<Served> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A webhook handler's server: GET /state answers `state()` as JSON (what `check --probe` reads); every other request
 * goes to `handle` with its whole body.
 */
export function handlerServer(state: () => unknown, handle: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/state") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state()));
        return;
      }
      handle(req, Buffer.concat(chunks), res);
    });
  });
}
