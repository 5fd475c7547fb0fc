/**
 * How many bytes of request bodies the capture server holds in memory at once. A body is kept whole from the socket
 * to the store and the handler (it stays a Buffer, byte-exact), so each upload in progress holds up to its size: a
 * stranger who opens many connections, sends all but the end of a large declared body and waits would otherwise pin
 * `connections × --max-body` (1,024 × 5 MiB). Small bodies (at most `smallBytes`) never count, so ordinary deliveries
 * are always read; a larger one takes its share before it is read (its declared length, or as it arrives when
 * chunked) and gives it back when its request is done. When the budget is spent, new large uploads are refused
 * (503 with Retry-After: senders retry), and nothing already held is lost.
 */
export interface UploadBudget {
  /** A request's share: `take` more bytes (false when the budget cannot give them), `release` all at the end. */
  hold(): UploadHold;
  /** Bytes held now. */
  inUse(): number;
  readonly limitBytes: number;
  readonly smallBytes: number;
}

export interface UploadHold {
  take(bytes: number): boolean;
  release(): void;
}

export function createUploadBudget(limitBytes: number, smallBytes: number): UploadBudget {
  let used = 0;
  return {
    limitBytes,
    smallBytes,
    inUse: () => used,
    hold() {
      let mine = 0;
      return {
        take(bytes) {
          if (used + bytes > limitBytes) return false;
          used += bytes;
          mine += bytes;
          return true;
        },
        release() {
          used -= mine;
          mine = 0;
        },
      };
    },
  };
}
