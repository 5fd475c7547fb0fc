// One way to write a moment, for the CLI's views and the inspector's page alike: 24-hour local time, the date in
// front when the moment is not today.

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** `14:05:09`, local time. */
export function clockTime(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `2026-11-27` in local time. */
export function localDate(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `2026-11-27 14:05:09`. */
export function dateTimeOf(ms: number): string {
  return `${localDate(ms)} ${clockTime(ms)}`;
}

/** `2026-11-27 14:05:09.042`. */
export function localDateTime(ms: number): string {
  return `${dateTimeOf(ms)}.${pad(new Date(ms).getMilliseconds(), 3)}`;
}

/** `14:05:09` for a moment of today, `2026-11-27 14:05:09` for any other day. */
export function shortDateTime(ms: number, now: number): string {
  return localDate(ms) === localDate(now) ? clockTime(ms) : dateTimeOf(ms);
}
