/**
 * The columns of `events list`, in the order it prints them, with what each holds: the table and the command's
 * `--help` both read them from here. Kept free of imports, since the help is built at every start.
 */
export const EVENT_TABLE_COLUMNS = [
  ["TIME", "when it was received (with the date when not today)"],
  ["REQUEST", "method and path"],
  ["TYPE", "the event type"],
  ["VIA", "tunnel, local, relay or trigger"],
  ["SIGNATURE", "the provider and the verdict on the request as captured"],
  ["ANSWER", "the handler's latest answer (after \"↻ replay\": its answer to a replay)"],
  ["DURATION", "how long that answer took"],
  ["ID", "the event id (a unique prefix works in other commands)"],
] as const;
