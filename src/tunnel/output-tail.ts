/**
 * Collects cloudflared's stdout/stderr as whole lines and keeps the last few. The package hands
 * us raw chunks, which can end mid-line; a message built from half a line would mislead.
 */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = "";

  constructor(
    private readonly keep: number,
    private readonly redact: readonly string[] = [],
  ) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.add(line);
  }

  /** The process is gone: a last line without a newline still counts. */
  flush(): void {
    if (this.partial !== "") this.add(this.partial);
    this.partial = "";
  }

  recent(): string[] {
    return this.partial === "" ? [...this.lines] : [...this.lines, this.scrub(this.partial)];
  }

  /**
   * The last `count` lines, shortened for a one-screen error: cloudflared's timestamp dropped,
   * each line capped. Real cloudflared prints notices several hundred characters long.
   */
  tail(count: number): string[] {
    return this.recent()
      .filter((line) => line.trim() !== "")
      .slice(-count)
      .map((line) => {
        const bare = line.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\s+/, "").trim();
        return bare.length > 160 ? `${bare.slice(0, 159)}…` : bare;
      });
  }

  private add(line: string): void {
    this.lines.push(this.scrub(line));
    if (this.lines.length > this.keep) this.lines.shift();
  }

  /** A tunnel token is a credential: it never reaches a message or a log. */
  private scrub(line: string): string {
    let out = line;
    for (const secret of this.redact) {
      if (secret !== "") out = out.split(secret).join("[redacted]");
    }
    return out;
  }
}
