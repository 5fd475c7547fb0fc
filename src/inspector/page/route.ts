/**
 * The page's address: `#/` is the list, `#/events/<id>` an open event, and the filters ride along as a query
 * (`#/events/<id>?status=5xx`), so that every view has a URL, back and forward work, and a reload comes back to it.
 */
export interface Filters {
  q: string;
  provider: string;
  type: string;
  verification: string;
  status: string;
  path: string;
  since: string;
}

export interface Route {
  eventId: string | null;
  filters: Filters;
}

export const NO_FILTERS: Filters = { q: "", provider: "", type: "", verification: "", status: "", path: "", since: "" };
const FILTER_KEYS = Object.keys(NO_FILTERS) as Array<keyof Filters>;

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, "");
  const queryAt = text.indexOf("?");
  const path = queryAt < 0 ? text : text.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? "" : text.slice(queryAt + 1));
  const filters = { ...NO_FILTERS };
  for (const key of FILTER_KEYS) filters[key] = query.get(key) ?? "";
  const match = /^\/events\/([^/?#]+)$/.exec(path);
  let eventId: string | null = null;
  if (match?.[1]) {
    try {
      eventId = decodeURIComponent(match[1]);
    } catch {
      eventId = null;
    }
  }
  return { eventId, filters };
}

export function formatRoute(route: Route): string {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) if (route.filters[key].trim() !== "") query.set(key, route.filters[key]);
  const search = query.toString();
  return `#/${route.eventId === null ? "" : `events/${encodeURIComponent(route.eventId)}`}${search ? `?${search}` : ""}`;
}

export function hasFilters(filters: Filters): boolean {
  return FILTER_KEYS.some((key) => filters[key].trim() !== "");
}

export function sameFilters(a: Filters, b: Filters): boolean {
  return FILTER_KEYS.every((key) => a[key] === b[key]);
}

/** The list's API query: the filters as `events list` flags, a page size, and the cursor of the next page. */
export function listParams(filters: Filters, cursor: string | null, limit: number): URLSearchParams {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const key of FILTER_KEYS) if (filters[key].trim() !== "") params.set(key, filters[key].trim());
  if (cursor) params.set("cursor", cursor);
  return params;
}
