import { Worker } from "node:worker_threads";

export interface Checkpointer {
  stop(): void;
}

/**
 * Moves WAL checkpoints off the calling thread. Measured: with SQLite's automatic checkpoints on the capture
 * thread, their fsyncs cost ~10 µs of event-loop time per recorded event and cause the latency outliers.
 */
export function startCheckpointer(file: string, intervalMs = 250): Checkpointer {
  const worker = new Worker(new URL("./checkpoint-worker.js", import.meta.url), { workerData: { file, intervalMs } });
  worker.unref();
  // A failing checkpointer only means the writer's backstop checkpoints instead; it must not take capture down.
  worker.on("error", () => undefined);
  return {
    stop() {
      worker.postMessage("stop");
    },
  };
}
