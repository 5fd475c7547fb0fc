import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** e2e tests run the built CLI, as a user would: `npm test` builds first; a bare `vitest` needs `npm run build`. */
export default function setup(): () => void {
  const built = path.resolve(import.meta.dirname, "../../dist/cli/index.js");
  if (!existsSync(built)) throw new Error("dist/ is missing: run `npm run build` (npm test does it for you)");
  // hooktape keeps a little in the user's config folder (recent stores, named tunnels): the suite, and every CLI it
  // spawns, use a folder of its own and never touch the user's.
  const config = mkdtempSync(path.join(tmpdir(), "hooktape-test-config-"));
  process.env.XDG_CONFIG_HOME = config;
  return () => rmSync(config, { recursive: true, force: true });
}
