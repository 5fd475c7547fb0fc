// The store's real writer thread with one fault injected: an uncaught exception on the Nth batch it is sent
// (CRASH_ON_BATCH, default 2) kills the thread before the real writer sees that batch. The real writer runs unchanged;
// only its message listener is wrapped as it registers it.
import { parentPort } from "node:worker_threads";

const crashOn = Number(process.env.CRASH_ON_BATCH ?? 2);
let batches = 0;
const on = parentPort.on.bind(parentPort);
parentPort.on = (type, listener) =>
  on(type, type !== "message" ? listener : (message) => {
    if (message.type === "writes" && ++batches === crashOn) throw new Error("injected crash");
    listener(message);
  });
await import("../../dist/store/writer-thread-worker.js");
