import { useCallback, useEffect, useState } from "preact/hooks";
import { formatRoute, parseRoute, type Route } from "./route.js";

/**
 * The route in the address bar, as state. Opening or closing an event pushes a history entry (back and forward
 * walk through them); typing in a filter replaces the current one.
 */
export function useRoute(): [Route, (next: Route, mode: "push" | "replace") => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    window.addEventListener("popstate", follow);
    window.addEventListener("hashchange", follow);
    return () => {
      window.removeEventListener("popstate", follow);
      window.removeEventListener("hashchange", follow);
    };
  }, []);
  const navigate = useCallback((next: Route, mode: "push" | "replace") => {
    const hash = formatRoute(next);
    if (hash !== location.hash) {
      if (mode === "push") history.pushState(null, "", hash);
      else history.replaceState(null, "", hash);
    }
    setRoute(next);
  }, []);
  return [route, navigate];
}
