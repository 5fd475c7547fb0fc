import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

// Runs on its own thread with its own connection: copies the WAL back into the database file (and fsyncs)
// every few hundred milliseconds, so that the capture thread never stalls on a checkpoint's fsync.
const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file);
db.pragma("busy_timeout = 1000");

const timer = setInterval(() => {
  try {
    // PASSIVE never blocks writers: it copies what it can and leaves the rest for the next round.
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or closing: the next round, or the writer's own backstop, checkpoints instead.
  }
}, intervalMs);

parentPort?.on("message", (message) => {
  if (message === "stop") {
    clearInterval(timer);
    db.close();
    parentPort?.close();
  }
});
