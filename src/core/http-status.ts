/**
 * A 404 or 405 means nothing handles that route (or not for POST): the request never reached the code that
 * verifies signatures. So it is never a rejection: a forgery "rejected" with a 404 proves nothing.
 */
export function isWrongRoute(status: number | null): boolean {
  return status === 404 || status === 405;
}

/**
 * How the URL that got a wrong-route answer was chosen: the exact URL the user gave (`--to` with a path), the
 * request's own path on the origin the user gave (`--to 3000`), or the target `listen` recorded (no `--to`).
 */
export type UrlOrigin = "exact" | "own-path" | "recorded";

/** The words a person reads for a wrong route, with what to do: never "pass the flag" the user already passed. */
export function wrongRouteHint(status: number, url: string, origin: UrlOrigin): string {
  const what = `${status} from ${url}: nothing handles this route${status === 405 ? " for this method" : ""} — the route is wrong, not a rejection`;
  const parsed = new URL(url);
  const path = parsed.pathname + parsed.search;
  switch (origin) {
    case "exact":
      return `${what}; is ${path} the path the handler serves?`;
    case "own-path":
      return `${what}; ${path} is the request's own path — if the handler serves another one, give its whole URL as the target (${parsed.origin}/<its path>)`;
    case "recorded":
      return `${what}; it is where listen forwarded the event — give --to with the handler's URL to send it elsewhere`;
  }
}
