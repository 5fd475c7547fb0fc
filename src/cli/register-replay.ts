import type { Command } from "commander";

/** `replay` and `check` (issue 4). */
export function registerReplayCommands(program: Command): void {
  void program;
}
