import type net from "node:net";

/** Starts `server` listening on `host:port` (0: a free port); rejects with the listen error (EADDRINUSE, …). */
export function listenOn(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
