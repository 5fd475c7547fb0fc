import type http from "node:http";
import type { UploadHold } from "./upload-budget.js";

/**
 * Bodies larger than this are "large": with a declared length they are read into one preallocated buffer, and they
 * count against the uploads' memory budget (smaller ones are always read).
 */
export const LARGE_BODY_BYTES = 64 * 1024;

export type BodyRead =
  | { kind: "complete"; bytes: Buffer; size: number }
  | { kind: "too_large"; bytes: Buffer; size: number }
  | { kind: "refused" }
  | { kind: "aborted" };

/**
 * Reads the raw body; past `max` bytes it stops keeping them (and says so) but lets the upload drain. A large body
 * takes its memory from `hold` first — its declared length, or chunk by chunk past LARGE_BODY_BYTES when chunked —
 * and is "refused" (nothing kept) when the budget has none left.
 */
export function readBody(req: http.IncomingMessage, max: number, hold: UploadHold): Promise<BodyRead> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.resolve({ kind: "too_large", bytes: Buffer.alloc(0), size: declared });
  }
  if (Number.isFinite(declared) && declared > LARGE_BODY_BYTES && !hold.take(declared)) return Promise.resolve({ kind: "refused" });
  // A large body of known length is copied into one buffer as it arrives, so that it is held once, not as chunks
  // plus their concatenation (two copies at the end). Small bodies keep the cheaper chunk list.
  const into = Number.isFinite(declared) && declared > LARGE_BODY_BYTES ? Buffer.allocUnsafe(declared) : null;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      const at = size;
      size += chunk.length;
      if (size > max) {
        if (!tooLarge) {
          tooLarge = true;
          chunks.length = 0;
          // Enough has been seen: answer now rather than wait for an upload that may never end.
          resolve({ kind: "too_large", bytes: Buffer.alloc(0), size });
        }
        return;
      }
      // A chunked body past the small size takes memory as it arrives.
      if (into === null && size > LARGE_BODY_BYTES && !hold.take(chunk.length)) {
        refused = true;
        chunks.length = 0;
        resolve({ kind: "refused" });
        return;
      }
      // Node's parser never delivers more than Content-Length; the check keeps a copy past the end impossible.
      if (into !== null && size <= into.length) chunk.copy(into, at);
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge || refused) return;
      if (into !== null && chunks.length === 0) resolve({ kind: "complete", bytes: into.subarray(0, size), size });
      else if (into === null) resolve({ kind: "complete", bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size), size });
      else resolve({ kind: "complete", bytes: Buffer.concat([into.subarray(0, size - chunks.reduce((n, c) => n + c.length, 0)), ...chunks], size), size });
    });
    req.on("aborted", () => resolve({ kind: "aborted" }));
    req.on("error", () => resolve({ kind: "aborted" }));
  });
}
