import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { withoutSecrets } from "../core/child-env.js";
import { HooktapeError } from "../core/errors.js";

/** The worker bundle (scripts/build-worker.mjs), beside this module's folder in dist/. */
export const WORKER_SCRIPT = fileURLToPath(new URL("../worker/relay-worker.js", import.meta.url));

/** The date the worker is written against: the runtime behaves as it did then (Durable Object RPC needs 2024-04-03+). */
export const COMPATIBILITY_DATE = "2025-09-01";

/**
 * No permessage-deflate on the followers' WebSockets: a follower drains thousands of events, and inflating them took
 * a sixth of its time (bench/relay.bench.mjs, --cpu-prof); bodies go as they came.
 */
export const COMPATIBILITY_FLAGS = ["no_web_socket_compression"] as const;

/** The Durable Object classes the worker exports, each with SQLite storage. */
export const DURABLE_OBJECT_CLASSES = [
  { binding: "CHANNELS", className: "RelayChannel" },
  { binding: "DIRECTORY", className: "RelayDirectory" },
] as const;

export interface ServeRelayOptions {
  workerd: string;
  host: string;
  /** 0: a free port. */
  port: number;
  /** Where the channels' SQLite files live; created 0700. */
  dataDir: string;
  adminToken: string;
  /** The worker's log lines (retention, 413/507) and workerd's own. */
  onLog: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface RelayServer {
  url: string;
  port: number;
  /** workerd's process id. */
  pid: number;
  /** Resolves with workerd's exit code when it stops for any reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** How long workerd may take to bind its socket (it compiles the worker first). */
const START_TIMEOUT_MS = 30_000;

/**
 * Runs the relay's worker in workerd, Cloudflare's open-source Workers runtime, with the channels' Durable Objects
 * stored in `dataDir`: the same code `relay deploy` uploads. workerd reports the port it bound on a control pipe.
 */
export async function serveRelay(options: ServeRelayOptions): Promise<RelayServer> {
  const dataDir = resolve(options.dataDir);
  const runtimeDir = join(dataDir, "runtime");
  const objectsDir = join(dataDir, "objects");
  try {
    for (const dir of [dataDir, runtimeDir, objectsDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
    copyFileSync(WORKER_SCRIPT, join(runtimeDir, "relay-worker.js"));
    writeFileSync(join(runtimeDir, "workerd.capnp"), workerdConfig({ ...options, objectsDir }), { mode: 0o600 });
  } catch (error) {
    throw new HooktapeError("environment", `Cannot prepare --data ${dataDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }

  const child = spawn(options.workerd, ["serve", join(runtimeDir, "workerd.capnp"), "--control-fd=3"], {
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    // The admin token's hash is in the config file (0600); hooktape's secrets stay out of workerd's environment.
    env: withoutSecrets(options.env ?? process.env),
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream as Readable }).on("line", (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.onLog(line);
    });
  }
  const port = await waitForPort(child, exited, () => tail.join("\n"));
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    pid: child.pid ?? 0,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForPort(child: ChildProcess, exited: Promise<number | null>, tail: () => string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const spawnError = (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new HooktapeError("environment", `Cannot run workerd (${error.code ?? error.message}); pass --workerd <path> or HOOKTAPE_WORKERD`));
    };
    child.once("error", spawnError);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new HooktapeError("environment", `workerd did not start within ${START_TIMEOUT_MS / 1000} s\n${tail()}`));
    }, START_TIMEOUT_MS);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new HooktapeError("environment", `workerd exited (${code}) before serving${tail() ? `:\n${tail()}` : ""}`));
    });
    const control = child.stdio[3] as Readable;
    createInterface({ input: control }).on("line", (line) => {
      try {
        const message = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (message.event === "listen" && message.socket === "http" && typeof message.port === "number") {
          clearTimeout(timer);
          child.off("error", spawnError);
          resolvePort(message.port);
        }
      } catch {
        // not a control message
      }
    });
  });
}

/** workerd's configuration (Cap'n Proto text): one socket, the worker, its two Durable Object classes on disk. */
export function workerdConfig(options: { host: string; port: number; adminToken: string; objectsDir: string }): string {
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const adminHash = createHash("sha256").update(options.adminToken).digest("hex");
  const bindings = [
    ...DURABLE_OBJECT_CLASSES.map((item) => `(name = ${capnpText(item.binding)}, durableObjectNamespace = ${capnpText(item.className)})`),
    `(name = "ADMIN_TOKEN_SHA256", text = ${capnpText(adminHash)})`,
  ];
  const namespaces = DURABLE_OBJECT_CLASSES.map(
    (item) => `(className = ${capnpText(item.className)}, uniqueKey = ${capnpText(`hooktape-relay-${item.className}`)}, enableSql = true)`,
  );
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "relay", worker = .relayWorker),
    (name = "objects", disk = (path = ${capnpText(options.objectsDir)}, writable = true)),
  ],
  sockets = [(name = "http", address = ${capnpText(`${host}:${options.port}`)}, http = (), service = "relay")],
);

const relayWorker :Workerd.Worker = (
  modules = [(name = "relay-worker.js", esModule = embed "relay-worker.js")],
  compatibilityDate = ${capnpText(COMPATIBILITY_DATE)},
  compatibilityFlags = [${COMPATIBILITY_FLAGS.map(capnpText).join(", ")}],
  bindings = [
    ${bindings.join(",\n    ")},
  ],
  durableObjectNamespaces = [
    ${namespaces.join(",\n    ")},
  ],
  durableObjectStorage = (localDisk = "objects"),
);
`;
}

/** A Cap'n Proto text literal. */
function capnpText(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
