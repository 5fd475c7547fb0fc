import type { Route, Routing } from "../capture/routing.js";
import { badInput } from "../core/errors.js";
import { parseTypeGlob } from "../core/event-filter.js";
import { resolveTarget } from "../forward/index.js";

/**
 * listen's `--route <path-glob>=<target>` / `--route type:<glob>=<target>` and `--only <type-glob>`, read into the
 * routing the capture server applies. The first `=` ends the glob: globs hold none, and a target URL may.
 */
export function parseRouting(routeFlags: readonly string[], onlyFlags: readonly string[]): Routing {
  return { routes: routeFlags.map(parseRouteFlag), only: onlyFlags.map((glob) => parseTypeGlob(glob, "--only")) };
}

export function parseRouteFlag(text: string): Route {
  const eq = text.indexOf("=");
  const example = "e.g. --route '/stripe/**=3001' or --route 'type:invoice.*=http://localhost:3002/billing'";
  if (eq <= 0 || eq === text.length - 1) throw badInput(`Invalid --route "${text}": expected <path-glob>=<target> or type:<glob>=<target>, ${example}`);
  const left = text.slice(0, eq).trim();
  const target = resolveTarget(text.slice(eq + 1), "--route target");
  if (left.startsWith("type:")) return { on: "type", glob: parseTypeGlob(left.slice("type:".length), "--route type:"), target };
  if (!left.startsWith("/") && !left.startsWith("*")) {
    throw badInput(`Invalid --route "${text}": a path glob starts with / (or *), an event type with type:, ${example}`);
  }
  return { on: "path", glob: left, target };
}
