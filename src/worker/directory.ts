import { DurableObject } from "cloudflare:workers";

/** The relay's list of channels (a Durable Object cannot be enumerated): ids and creation times, nothing secret. */
export class RelayDirectory extends DurableObject<unknown> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS channels (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL)");
  }

  add(id: string, createdAt: number): void {
    this.sql.exec("INSERT INTO channels (id, created_at) VALUES (?, ?)", id, createdAt);
  }

  remove(id: string): boolean {
    return this.sql.exec("DELETE FROM channels WHERE id = ?", id).rowsWritten > 0;
  }

  list(): Array<{ id: string; createdAt: number }> {
    return this.sql
      .exec<{ id: string; created_at: number }>("SELECT id, created_at FROM channels ORDER BY created_at, id")
      .toArray()
      .map((row) => ({ id: row.id, createdAt: row.created_at }));
  }
}
