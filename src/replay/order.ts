/** `--order`: as captured (oldest first), shuffled with a seed that is printed, or reversed (newest first). */
export type ReplayOrder = "as-captured" | "shuffle" | "reverse";

export const ORDERS: readonly ReplayOrder[] = ["as-captured", "shuffle", "reverse"];

/** mulberry32: a tiny, well-mixed 32-bit PRNG, so `--seed N` reproduces an order on every machine and Node version. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the seeded generator; returns a new array. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Items already in capture order, put in the requested order. */
export function orderItems<T>(items: readonly T[], order: ReplayOrder, seed: number): T[] {
  if (order === "reverse") return [...items].reverse();
  if (order === "shuffle") return shuffle(items, seed);
  return [...items];
}
