// The baseline: a plain forwarding proxy on http-proxy that records nothing, in its own process.
// Usage: node plain-proxy.mjs <targetPort>. Prints `{"port":N}` on stdout when it listens.
// It keeps connections to the handler alive (as hooktape's undici pool does) and adds X-Forwarded-* headers
// (as hooktape does), so that the comparison is between two proxies doing the same network work.
import http from "node:http";
import httpProxy from "http-proxy";

const targetPort = Number(process.argv[2]);
if (!Number.isInteger(targetPort) || targetPort <= 0) {
  process.stderr.write("usage: node plain-proxy.mjs <targetPort>\n");
  process.exit(2);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const proxy = httpProxy.createProxyServer({ target: `http://127.0.0.1:${targetPort}`, agent, xfwd: true });
proxy.on("error", (_error, _req, res) => {
  // `res` is a ServerResponse for web requests; answer 502 like any gateway.
  if (res instanceof http.ServerResponse && !res.headersSent) {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end("bad gateway\n");
  }
});

const server = http.createServer((req, res) => proxy.web(req, res));
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
