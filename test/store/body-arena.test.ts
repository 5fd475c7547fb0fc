// The ring that carries bodies to the writer thread: space comes back only when a whole batch is acknowledged,
// in order, and a batch never wraps around the end (the writer reads each body as one contiguous view).
import { describe, expect, it } from "vitest";
import { BodyArena } from "../../src/store/body-arena.js";

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

describe("BodyArena", () => {
  it("copies a batch's bodies side by side into the shared memory", () => {
    const arena = new BodyArena(64);
    const placed = arena.place([bytes(3, 1), bytes(0, 9), bytes(5, 2)]);
    expect(placed?.offsets).toEqual([0, 3, 3]);
    expect([...new Uint8Array(arena.shared, 0, 8)]).toEqual([1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it("refuses what does not fit until earlier batches are released, and starts again at the beginning rather than wrap", () => {
    const arena = new BodyArena(100);
    const first = arena.place([bytes(40, 1), bytes(20, 1)]);
    const second = arena.place([bytes(30, 2)]);
    expect(second?.offsets).toEqual([60]);
    // 10 bytes left at the end, and the start is still held by the first batch.
    expect(arena.place([bytes(20, 3)])).toBeNull();
    first?.batch.release();
    expect(arena.place([bytes(20, 3)])).toBeNull(); // one of its two writes is still unacknowledged
    first?.batch.release();
    const third = arena.place([bytes(20, 3)]);
    expect(third?.offsets).toEqual([0]);
    // The second batch still holds 60..90: the space after the third (20..60) is free, what follows is not.
    expect(arena.place([bytes(40, 4)])?.offsets).toEqual([20]);
    expect(arena.place([bytes(1, 5)])).toBeNull();
  });

  it("gives space back in order: a later batch released first frees nothing until the earlier one is", () => {
    const arena = new BodyArena(100);
    const first = arena.place([bytes(50, 1)]);
    const second = arena.place([bytes(50, 2)]);
    second?.batch.release();
    expect(arena.place([bytes(10, 3)])).toBeNull();
    first?.batch.release();
    expect(arena.place([bytes(100, 3)])?.offsets).toEqual([0]);
  });

  it("never takes a batch larger than the ring, and reset() frees everything", () => {
    const arena = new BodyArena(100);
    expect(arena.place([bytes(60, 1), bytes(41, 1)])).toBeNull();
    arena.place([bytes(90, 1)]);
    expect(arena.place([bytes(20, 2)])).toBeNull();
    arena.reset();
    expect(arena.place([bytes(100, 2)])?.offsets).toEqual([0]);
  });
});
