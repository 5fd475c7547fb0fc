import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// hooktape keeps a little in the user's config folder (recent stores, named tunnels): the suite, every program it runs
// in process and every CLI it spawns use one folder of their own and never touch the user's. Each project runs this
// setup; the first makes the folder (and removes it at the end), the others find it in the environment.
const PREFIX = path.join(tmpdir(), "hooktape-test-config-");

export default function setup(): (() => void) | undefined {
  if (process.env.XDG_CONFIG_HOME?.startsWith(PREFIX)) return undefined;
  const folder = mkdtempSync(PREFIX);
  process.env.XDG_CONFIG_HOME = folder;
  return () => rmSync(folder, { recursive: true, force: true });
}
