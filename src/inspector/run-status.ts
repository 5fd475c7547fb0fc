/**
 * What the page's header says about the run the inspector belongs to: where webhooks are captured, the public URL
 * and the tunnel's state, where they are forwarded. `listen --ui` keeps it current (a tunnel that goes down shows at
 * once); under `hooktape ui` there is no run in this process.
 */
export interface RunStatus {
  captureUrl: string;
  publicUrl: string | null;
  tunnel: { state: "up" | "down" | "off" | "failed"; note: string | null };
  target: string | null;
}

export class RunBoard {
  private readonly listeners = new Set<(status: RunStatus) => void>();

  constructor(private status: RunStatus) {}

  get current(): RunStatus {
    return this.status;
  }

  update(change: Partial<RunStatus>): void {
    this.status = { ...this.status, ...change };
    for (const listener of this.listeners) listener(this.status);
  }

  subscribe(listener: (status: RunStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
