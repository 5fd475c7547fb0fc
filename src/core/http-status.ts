/**
 * A 404 or 405 means nothing handles that route (or not for POST): the request never reached the code that
 * verifies signatures. So it is never a rejection: a forgery "rejected" with a 404 proves nothing.
 */
export function isWrongRoute(status: number | null): boolean {
  return status === 404 || status === 405;
}

/** The words a person reads for a wrong route, with what to do. */
export function wrongRouteHint(status: number, url: string): string {
  return `${status} from ${url}: nothing handles this route${status === 405 ? " for this method" : ""} — the route is wrong, not a rejection; check the path (or --to)`;
}
