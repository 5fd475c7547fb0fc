import type { Command } from "commander";

/** `providers`, `keygen`, `sign`, `verify`, `send`, `fixtures export|import` (issue 3). */
export function registerSigningCommands(program: Command): void {
  void program;
}
