import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/** The user's hooktape folder: `$XDG_CONFIG_HOME/hooktape`, else `~/.config/hooktape`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // Relative XDG values are invalid and must be ignored (XDG base-directory spec).
  if (xdg && isAbsolute(xdg)) return join(xdg, "hooktape");
  return join(env.HOME || homedir(), ".config", "hooktape");
}
