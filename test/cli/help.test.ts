import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program/build-program.js";
import { runCli } from "../helpers/cli.js";

/** Every command a user can ask `--help` of, as the words they type (`events list`, `relay channel create`). */
function commandPaths(command: Command, prefix: string[] = []): Array<{ path: string[]; command: Command }> {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [{ path, command: sub }, ...commandPaths(sub, path)];
  });
}

/** The help text exactly as `hooktape <path> --help` prints it, at the width of a pipe (80 columns). */
function helpOf(command: Command): string {
  return command.helpInformation({ error: false });
}

describe("--help", () => {
  const program = buildProgram();
  const all = commandPaths(program).filter(({ command }) => command.name() !== "help");

  it.each(all.map(({ path, command }) => [path.join(" "), command] as const))("hooktape %s --help shows --json and --db, and no commander noise", (_name, command) => {
    const help = helpOf(command);
    const globals = help.split("Global Options:\n")[1] ?? "";
    expect(globals).toMatch(/^ {2}--db <file> /m);
    expect(globals).toMatch(/^ {2}--json /m);
    expect(help).not.toContain("(default: [])");
    // Defaults as they are typed on a command line: `10000`, not `"10000"`.
    expect(help).not.toMatch(/default: "/);
    expect(help).not.toMatch(/choices: "/);
  });

  it("every command that takes --secret lists --secret-file right after it, so a secret can stay out of `ps`", () => {
    const withSecret = all.filter(({ command }) => command.options.some((option) => option.long === "--secret"));
    expect(withSecret.map(({ path }) => path.join(" "))).toEqual(["listen", "ui", "trigger", "sign", "verify", "send", "fixtures import", "replay", "check"]);
    for (const { path, command } of withSecret) {
      const longs = command.options.map((option) => option.long);
      expect(longs[longs.indexOf("--secret") + 1], path.join(" ")).toBe("--secret-file");
    }
  });

  it("the built CLI prints the same help, with the global options, for a nested command", async () => {
    const result = await runCli(["relay", "channel", "create", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Global Options:\n(.|\n)*--db <file>(.|\n)*--json/);
  });
});
