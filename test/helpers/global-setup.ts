import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// hooktape keeps a little in the user's config folder (recent stores, named tunnels): the suite, every program it runs
// in process and every CLI it spawns use one folder of their own and never touch the user's. Each project runs this
// setup; the first makes the folder, the others share it, the last removes it.
let users = 0;
let folder: string | undefined;

export default function setup(): () => void {
  if (users++ === 0) {
    folder = mkdtempSync(path.join(tmpdir(), "hooktape-test-config-"));
    process.env.XDG_CONFIG_HOME = folder;
  }
  return () => {
    if (--users === 0 && folder) rmSync(folder, { recursive: true, force: true });
  };
}
