import type { Ref } from "preact";
import { hasFilters, NO_FILTERS, type Filters } from "./route.js";

/** The `events list` filters, a search in paths, headers and bodies, and the event type when the server knows it. */
export function FilterBar(props: { filters: Filters; showType: boolean; searchRef: Ref<HTMLInputElement>; onChange(filters: Filters): void }) {
  const { filters, onChange } = props;
  const set = (key: keyof Filters) => (event: Event) => onChange({ ...filters, [key]: (event.currentTarget as HTMLInputElement).value });
  return (
    <form class="filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <input ref={props.searchRef} type="search" aria-label="Search path, headers and body" placeholder="Search path, headers, body  ( / )" value={filters.q} onInput={set("q")} />
      <input aria-label="Provider" placeholder="provider" value={filters.provider} onInput={set("provider")} size={9} />
      {(props.showType || filters.type !== "") && <input aria-label="Event type" placeholder="type (invoice.*)" value={filters.type} onInput={set("type")} size={12} />}
      <select aria-label="Verification" value={filters.verification} onChange={set("verification")}>
        <option value="">any signature</option>
        <option value="valid">valid</option>
        <option value="invalid">invalid</option>
        <option value="missing">missing</option>
        <option value="unverified">unverified</option>
      </select>
      <select aria-label="Status" value={filters.status} onChange={set("status")}>
        <option value="">any status</option>
        <option value="2xx">2xx</option>
        <option value="4xx">4xx</option>
        <option value="5xx">5xx</option>
        <option value="failed">no answer</option>
      </select>
      <input aria-label="Path glob" placeholder="/path/**" value={filters.path} onInput={set("path")} size={10} />
      <input aria-label="Since" placeholder="since (1h)" value={filters.since} onInput={set("since")} size={7} />
      {hasFilters(filters) && (
        <button type="button" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
