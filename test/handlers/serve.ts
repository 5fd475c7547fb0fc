// The four handler stand-ins listen the same way: port 0 on 127.0.0.1, and a close that drops kept-alive sockets.
import type http from "node:http";
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
