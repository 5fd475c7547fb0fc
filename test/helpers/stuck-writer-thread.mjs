// The store's real writer thread with one fault injected: the second batch it is sent is dropped unseen, as if the
// thread were alive but stuck on it. The real writer runs unchanged; only its message listener is wrapped.
import { parentPort } from "node:worker_threads";

let batches = 0;
const on = parentPort.on.bind(parentPort);
parentPort.on = (type, listener) =>
  on(type, type !== "message" ? listener : (message) => {
    if (message.type === "writes" && ++batches === 2) return;
    listener(message);
  });
await import("../../dist/store/writer-thread-worker.js");
