import type { Option } from "commander";

/**
 * An option's line in `--help`: its description, then what commander would add — choices, the default, the
 * environment variable — written for people: a default as it is typed (`10000`, not `"10000"`), no default for a
 * repeatable flag that starts empty (`[]`) or for a negated flag, and none when the description already says it.
 */
export function describeOption(option: Option): string {
  const extras: string[] = [];
  if (option.argChoices) extras.push(`choices: ${option.argChoices.join(", ")}`);
  const shown = defaultAsTyped(option);
  if (shown !== null && !/\(default\b|; default\b/.test(option.description)) extras.push(`default: ${shown}`);
  if (option.envVar !== undefined) extras.push(`env: ${option.envVar}`);
  return extras.length === 0 ? option.description : `${option.description} (${extras.join(", ")})`;
}

function defaultAsTyped(option: Option): string | null {
  if (option.defaultValueDescription) return option.defaultValueDescription;
  if (option.negate) return null;
  const value: unknown = option.defaultValue;
  if (typeof value === "string" || typeof value === "number") return String(value);
  return null;
}
