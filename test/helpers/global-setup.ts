import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { makeRsaTestKeys, RSA_TEST_KEYS_ENV } from "./test-keys.js";

// hooktape keeps a little in the user's config folder (recent stores, named tunnels): the suite, every program it runs
// in process and every CLI it spawns use one folder of their own and never touch the user's. Beside it, in a folder of
// the run's own, the RSA keys the tests share (test-keys.ts). Each project runs this setup; the first makes both
// folders (and removes them at the end), the others find them in the environment.
const PREFIX = path.join(tmpdir(), "hooktape-test-config-");

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.XDG_CONFIG_HOME?.startsWith(PREFIX)) return undefined;
  const folder = mkdtempSync(PREFIX);
  process.env.XDG_CONFIG_HOME = folder;
  const keys = mkdtempSync(path.join(tmpdir(), "hooktape-test-keys-"));
  const file = path.join(keys, "rsa.json");
  writeFileSync(file, JSON.stringify(await makeRsaTestKeys()), { mode: 0o600 });
  process.env[RSA_TEST_KEYS_ENV] = file;
  return () => {
    rmSync(folder, { recursive: true, force: true });
    rmSync(keys, { recursive: true, force: true });
  };
}
