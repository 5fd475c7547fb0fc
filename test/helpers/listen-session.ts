// The listen processes and target servers a test file starts, stopped after each test (a listen killed, a server
// closed), so a failing test leaves nothing running for the next; or one listen a describe block's tests share,
// stopped after the block.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
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

export interface SharedListen {
  /** The running `listen` (from the block's first test on). */
  readonly proc: ListenProcess;
  /** The handler it forwards to, when the block asked for one. */
  readonly handler: TargetServer;
  /** Its store: a file in a folder of the block's own, removed after the block. */
  readonly db: string;
  /** The event record of a request to `url` (path and query as sent), as soon as listen prints it. */
  eventAt(url: string): Promise<Record<string, unknown>>;
}

/** What a shared listen's arguments and environment are made from: its handler's URL (when it has one) and its store. */
export interface SharedListenGiven {
  handlerUrl: string;
  db: string;
}

/**
 * One `listen` shared by the tests of a describe block that only read what it captured, each test sending to paths of
 * its own: started (with its handler, when `handler` is given) before the block's first test, stopped after its last.
 * A test whose point is the process itself (a signal, an exit code, a start-up) spawns its own instead.
 */
export function sharedListen(options: {
  handler?: Parameters<typeof startTargetServer>[0];
  args: (given: SharedListenGiven) => string[];
  env?: (given: SharedListenGiven) => NodeJS.ProcessEnv;
}): SharedListen {
  let proc: ListenProcess | undefined;
  let handler: TargetServer | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "hooktape-shared-"));
    if (options.handler !== undefined) handler = await startTargetServer(options.handler);
    const given = { handlerUrl: handler?.url ?? "", db: path.join(dir, "hooktape.db") };
    proc = await startListen(options.args(given), options.env?.(given));
  });
  afterAll(async () => {
    await proc?.stop("SIGKILL");
    await handler?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the shared listen has no ${what} (not started, or none asked for)`);
    return value;
  };
  return {
    get proc() {
      return started(proc, "process");
    },
    get handler() {
      return started(handler, "handler");
    },
    get db() {
      return path.join(started(dir, "folder"), "hooktape.db");
    },
    eventAt: (url) => started(proc, "process").waitForRecord((record) => record.type === "event" && record.url === url),
  };
}
