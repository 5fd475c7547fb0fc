import { compilePathGlob, compileTypeGlob, type PathMatcher, type TypeMatcher } from "../core/event-filter.js";
import type { NotForwarded } from "../core/types.js";
import { hasDotSegment, joinTarget } from "../forward/index.js";

/** One `--route`: requests whose path (`/stripe/**`) or event type (`type:invoice.*`) matches go to `target`. */
export interface Route {
  on: "path" | "type";
  glob: string;
  target: URL;
}

/** How listen chooses where a request goes: `--route` in order, then the main target; `--only` filters first. */
export interface Routing {
  routes: readonly Route[];
  /** `--only` globs; empty: every event type is forwarded. */
  only: readonly string[];
}

/** Where one request goes: the full URL, or null (nowhere to send it, or filtered out, which `notForwarded` says). */
export interface RouteChoice {
  target: string | null;
  notForwarded: NotForwarded | null;
}

/** The routes compiled once for a run; `choose` is then called per request. */
export interface Router {
  choose(request: { url: string; eventType: string | null }): RouteChoice;
}

/**
 * `--only` first: an event whose type matches none of its globs is recorded but not forwarded (an event without a
 * type matches none). Then the first `--route` that matches (path globs read the path without its query), else the
 * main target. The chosen target's path is a prefix of the inbound path, as listen's own target is.
 */
export function createRouter(routing: Routing, mainTarget: URL | null): Router {
  const only: TypeMatcher[] = routing.only.map(compileTypeGlob);
  const routes = routing.routes.map((route) => ({
    route,
    matcher: route.on === "path" ? compilePathGlob(route.glob) : compileTypeGlob(route.glob),
  }));
  return {
    choose({ url, eventType }) {
      const target = targetOf(url, eventType) ?? mainTarget;
      // A path with a dot segment is never joined onto a target's prefix (listen refuses it before it gets here; a
      // relayed one is recorded, not forwarded).
      if (target === null || hasDotSegment(url)) return { target: null, notForwarded: null };
      if (only.length > 0 && !only.some((matcher) => matcher.test(eventType))) return { target: null, notForwarded: "filtered" };
      return { target: joinTarget(target, url), notForwarded: null };
    },
  };

  function targetOf(url: string, eventType: string | null): URL | null {
    if (routes.length === 0) return null;
    const end = url.search(/[?#]/);
    const path = end === -1 ? url : url.slice(0, end);
    for (const { route, matcher } of routes) {
      const hit = route.on === "path" ? (matcher as PathMatcher).test(path) : (matcher as TypeMatcher).test(eventType);
      if (hit) return route.target;
    }
    return null;
  }
}
