import { randomBytes } from "node:crypto";
import type { ReplayPlan } from "../replay/index.js";

/** How long Send may deliver a previewed request as it was shown; after that the page previews again. */
const KEPT_MS = 5 * 60_000;
const MAX_KEPT = 32;

interface Kept {
  eventId: string;
  options: string;
  plan: ReplayPlan;
  madeAt: number;
}

/**
 * Previewed plans, so that Send delivers exactly the bytes the preview showed: the same signature, timestamp and
 * message id, not ones made again a moment later.
 */
export class PreviewShelf {
  private readonly kept = new Map<string, Kept>();

  put(eventId: string, options: unknown, plan: ReplayPlan, now: number): string {
    this.drop(now);
    if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value as string);
    const id = randomBytes(12).toString("base64url");
    this.kept.set(id, { eventId, options: canonicalJson(options), plan, madeAt: now });
    return id;
  }

  /** The previewed plan, or why it cannot be sent as it was shown. */
  take(id: string, eventId: string, options: unknown, now: number): { plan: ReplayPlan } | { refused: string } {
    this.drop(now);
    const kept = this.kept.get(id);
    if (kept === undefined || kept.eventId !== eventId) return { refused: "This preview has expired (previews are kept 5 minutes): preview again" };
    if (kept.options !== canonicalJson(options)) return { refused: "The request changed since the preview: preview again" };
    return { plan: kept.plan };
  }

  private drop(now: number): void {
    for (const [id, kept] of this.kept) if (now - kept.madeAt > KEPT_MS) this.kept.delete(id);
  }
}

/** JSON with object keys sorted, so that the same options compare equal whatever order they were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
