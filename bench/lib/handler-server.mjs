// The benchmark's webhook handler: a minimal node:http server that reads the body and answers 200 at once.
// Runs in its own process so that it does not share an event loop with the load generator or the proxy.
// Prints one JSON line `{"port":N}` on stdout when it listens.
import http from "node:http";

const reply = Buffer.from('{"received":true}');

const server = http.createServer((req, res) => {
  // Drain the body before answering, as a real handler would read it.
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": reply.length });
    res.end(reply);
  });
});
server.keepAliveTimeout = 30_000;

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
