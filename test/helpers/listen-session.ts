// The listen processes and target servers a test file starts, stopped after each test (a listen killed, a server
// closed), so a failing test leaves nothing running for the next.
import { afterEach } from "vitest";
import { startListen, type ListenProcess } from "./cli.js";
import { startTargetServer, type TargetServer } from "./target-server.js";

export interface ListenSession {
  /** `hooktape listen <args>` spawned from the built CLI, stopped after the test. */
  listen(args: string[], env?: NodeJS.ProcessEnv): Promise<ListenProcess>;
  /** A handler on 127.0.0.1 recording what it receives, closed after the test. */
  target(behaviour?: Parameters<typeof startTargetServer>[0]): Promise<TargetServer>;
}

export function listenSession(): ListenSession {
  const running: ListenProcess[] = [];
  const targets: TargetServer[] = [];
  afterEach(async () => {
    for (const listen of running.splice(0)) await listen.stop("SIGKILL");
    for (const target of targets.splice(0)) await target.close();
  });
  return {
    async listen(args, env = {}) {
      const process = await startListen(args, env);
      running.push(process);
      return process;
    },
    async target(behaviour) {
      const server = await startTargetServer(behaviour);
      targets.push(server);
      return server;
    },
  };
}
