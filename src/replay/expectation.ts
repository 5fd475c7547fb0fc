import { badInput } from "../core/errors.js";
import { isWrongRoute } from "../core/http-status.js";

/** What counts as the expected answer of a delivery: a status (`400`), a class (`4xx`), or by default any 2xx. */
export interface Expectation {
  /** As the user wrote it, for messages ("2xx" by default). */
  label: string;
  matches(status: number | null): boolean;
}

const ANY_2XX: Expectation = { label: "2xx", matches: (status) => status !== null && status >= 200 && status < 300 };

/**
 * `400` or `4xx` (`option` names where it was given, for the message). A class leaves out 404 and 405: such an
 * answer means nothing handles the route, so the request never reached the code that judges it — a forgery
 * "rejected" with a 404 proves nothing. Asking for `404` itself still matches a 404.
 */
export function parseExpectation(text: string | undefined, option: string): Expectation {
  if (text === undefined) return ANY_2XX;
  const value = text.trim().toLowerCase();
  const hundreds = /^([1-5])xx$/.exec(value);
  if (hundreds) {
    const low = Number(hundreds[1]) * 100;
    return { label: value, matches: (status) => status !== null && status >= low && status < low + 100 && !isWrongRoute(status) };
  }
  if (/^[1-5]\d\d$/.test(value)) return { label: value, matches: (status) => status === Number(value) };
  throw badInput(`Invalid ${option} "${text}": expected a status (400) or a class (4xx)`);
}
