/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many have run. Append only once
 * released: a shipped migration is never edited, so that every database file can be brought forward.
 *
 * Layout choices, measured with `npm run bench` and a schema micro-benchmark that writes as `listen` does
 * (events in one group commit, their delivery attempts in the next): events are a rowid table (a WITHOUT ROWID
 * row with a 2 KB body spills into overflow pages), and bodies live in their own table, written once, so that
 * updating an event's latest delivery rewrites a small row, not the body: 21 instead of 26 us and 11.7 instead
 * of 14.7 KiB of WAL per captured request. No AUTOINCREMENT (it writes sqlite_sequence on every insert).
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    received_at INTEGER NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    path TEXT NOT NULL,
    headers TEXT NOT NULL,
    body_size INTEGER NOT NULL,
    body_sha256 TEXT NOT NULL,
    remote_address TEXT,
    via TEXT NOT NULL,
    public_url TEXT,
    provider TEXT,
    verification_status TEXT NOT NULL,
    verification_reason TEXT,
    verification_hint TEXT,
    rejected TEXT,
    target TEXT,
    -- the latest delivery attempt, kept here so that list filters use an index instead of a join
    last_status INTEGER,
    last_error TEXT,
    last_duration_ms REAL,
    last_attempt_at INTEGER
  );
  CREATE INDEX events_received ON events (received_at);
  CREATE INDEX events_provider ON events (provider, received_at);
  CREATE INDEX events_verification ON events (verification_status, received_at);
  CREATE INDEX events_status ON events (last_status, received_at);

  -- The exact request bytes; no row for a rejected request.
  CREATE TABLE event_bodies (
    event_seq INTEGER PRIMARY KEY REFERENCES events (seq) ON DELETE CASCADE,
    body BLOB NOT NULL
  );

  CREATE TABLE deliveries (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    target TEXT NOT NULL,
    method TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms REAL NOT NULL,
    started_at INTEGER NOT NULL,
    planned_at INTEGER,
    response_headers TEXT NOT NULL,
    response_body BLOB NOT NULL,
    response_size INTEGER NOT NULL
  );
  CREATE INDEX deliveries_event ON deliveries (event_id, seq);
  `,
  // --status 5xx: an index on the status class keeps newest-first order within a class, so that `ls --status 5xx
  // --limit 1` reads one row instead of sorting every 5xx event; it serves --status 500 (within its class) and
  // --status failed (a NULL class) too, so it replaces the index on the bare status: still one index to update.
  `
  DROP INDEX events_status;
  CREATE INDEX events_status_class ON events (last_status / 100, received_at);
  `,
  // Every attempt records what it sent (method and URL are the row's): the headers, mostly as references to the
  // event's own (sent-headers.ts), and the body only when it is not the event's. NULL headers: nothing was sent
  // (hooktape answered a handshake itself), or the attempt was recorded before requests were. The event keeps its
  // latest attempt's kind beside its status, so that a list shows a replay's answer as a replay's (NULL: a forward).
  `
  ALTER TABLE deliveries ADD COLUMN request_headers TEXT;
  ALTER TABLE deliveries ADD COLUMN request_body BLOB;
  ALTER TABLE events ADD COLUMN last_kind TEXT;
  `,
  // The consumer id this store follows each relay channel as (`listen --relay`): the relay keeps one cursor per
  // consumer, so every store gets every event once, and a restarted listen resumes from what it acknowledged.
  `
  CREATE TABLE relay_consumers (
    channel TEXT PRIMARY KEY,
    consumer TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  // Event types (`invoice.paid`): a column filled at insert, so that `--type` is an index search; events recorded
  // before it get theirs from their provider's rule (hooktape_event_type, registered by openDatabase). Why listen did
  // not forward an event (`filtered` by --only). And a record of each running listen, so that `trigger` finds the
  // capture URL to send to, with the token that marks its requests as triggered.
  `
  ALTER TABLE events ADD COLUMN event_type TEXT;
  ALTER TABLE events ADD COLUMN not_forwarded TEXT;
  CREATE INDEX events_event_type ON events (event_type, received_at);
  UPDATE events SET event_type = hooktape_event_type(provider, headers, (SELECT body FROM event_bodies WHERE event_seq = events.seq))
    WHERE provider IS NOT NULL AND rejected IS NULL;

  CREATE TABLE listen_runs (
    seq INTEGER PRIMARY KEY,
    pid INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    stopped_at INTEGER,
    capture_url TEXT NOT NULL,
    trigger_token TEXT NOT NULL
  );
  `,
];
