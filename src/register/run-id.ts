import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * A run id marks what one `listen --register` run created at a provider. It carries the machine (a short hash of
 * its hostname, so the name itself never reaches the provider) and the process id, so that a later run can tell an
 * endpoint left by a crashed run on this machine (its process is gone) from one that another hooktape, here or on a
 * teammate's machine sharing the same test account, is still using.
 */
export interface RunId {
  text: string;
  machine: string;
  pid: number;
}

export function machineTag(name: string = hostname()): string {
  return createHash("sha256").update(name).digest("hex").slice(0, 8);
}

export function newRunId(pid: number = process.pid, machine: string = machineTag()): RunId {
  return { text: `${machine}-${pid}-${randomBytes(3).toString("hex")}`, machine, pid };
}

export function parseRunId(text: string): RunId | null {
  const match = /^([0-9a-f]{8})-(\d+)-([0-9a-f]{6})$/.exec(text);
  if (!match) return null;
  return { text, machine: match[1] as string, pid: Number(match[2]) };
}

/** Whether the run that made a marker could still be running: on another machine we cannot know, so yes. */
export function runMayBeAlive(run: RunId, here: { machine: string; isAlive: (pid: number) => boolean }): boolean {
  if (run.machine !== here.machine) return true;
  return here.isAlive(run.pid);
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A Cloudflare quick tunnel's host: random per run and never reused, so an endpoint on it is dead once its run is. */
export function isQuickTunnelHost(url: string): boolean {
  try {
    return new URL(url).hostname.endsWith(".trycloudflare.com");
  } catch {
    return false;
  }
}
