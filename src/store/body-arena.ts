/**
 * Shared memory that carries bodies to the writer thread: each batch's bodies are copied once, side by side, into a
 * ring of SharedArrayBuffer that both threads see, and the space comes back when the writer has acknowledged every
 * write of the batch (SQLite has copied the bytes by then). Measured in isolation on Node 20: posting a batch with a
 * fresh transferred ArrayBuffer costs ~8 µs of the sender's CPU against ~2 µs for its JSON text alone.
 */
export class BodyArena {
  readonly shared: SharedArrayBuffer;
  private readonly bytes: Uint8Array;
  /** Positions only grow; the place in the ring is position % size. */
  private head = 0;
  private tail = 0;
  /** Batches in the ring, oldest first. */
  private readonly batches: ArenaBatch[] = [];

  constructor(readonly size: number) {
    this.shared = new SharedArrayBuffer(size);
    this.bytes = new Uint8Array(this.shared);
  }

  /**
   * Copies the bodies into the ring, contiguously; returns where each starts and the batch to release once all of
   * them are acknowledged, or null when they do not fit now (the caller sends them another way).
   */
  place(bodies: readonly Uint8Array[]): { offsets: number[]; batch: ArenaBatch } | null {
    let total = 0;
    for (const body of bodies) total += body.length;
    if (total > this.size) return null;
    let start = this.head;
    // A batch never wraps: it starts again at the ring's beginning when the end is too short.
    if ((start % this.size) + total > this.size) start += this.size - (start % this.size);
    if (start + total - this.tail > this.size) return null;
    const offsets: number[] = [];
    let at = start % this.size;
    for (const body of bodies) {
      offsets.push(at);
      this.bytes.set(body, at);
      at += body.length;
    }
    this.head = start + total;
    const batch = new ArenaBatch(this.head, bodies.length, () => this.releaseDone());
    this.batches.push(batch);
    return { offsets, batch };
  }

  /** Everything is released (the writer thread stopped: nothing it held is used any more). */
  reset(): void {
    this.batches.length = 0;
    this.head = 0;
    this.tail = 0;
  }

  private releaseDone(): void {
    while (this.batches.length > 0 && this.batches[0]?.remaining === 0) {
      this.tail = (this.batches.shift() as ArenaBatch).end;
    }
  }
}

export class ArenaBatch {
  constructor(
    readonly end: number,
    public remaining: number,
    private readonly onDone: () => void,
  ) {}

  /** One write of the batch is acknowledged (committed or failed). */
  release(): void {
    this.remaining--;
    if (this.remaining === 0) this.onDone();
  }
}
