// The handler stand-ins are served by the suite's one test server helper (serveOnLoopback, test/helpers/target-server.ts);
// what they share besides is the /state route `check --probe` reads.
import http from "node:http";

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
