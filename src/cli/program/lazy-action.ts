import type { Command } from "commander";

/** A command function: the command's positional arguments in order, then its options with the global ones. */
type RunCommand = (...args: never[]) => unknown;

/**
 * A commander action that loads its command module only when the command runs, then calls `run` of it with the
 * positional arguments and `optsWithGlobals()`. `load` must be an arrow around a literal `import("../commands/….js")`,
 * so that the bundler makes one lazy chunk per command module.
 */
export function lazyAction<Name extends string, Module extends Record<Name, RunCommand>>(
  load: () => Promise<Module>,
  run: Name,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // Commander calls an action with the positional arguments, then the parsed options, then the command itself.
    const command = args.at(-1) as Command;
    const positionals = args.slice(0, -2);
    const runCommand: RunCommand = (await load())[run];
    await Reflect.apply(runCommand, undefined, [...positionals, command.optsWithGlobals()]);
  };
}
