/**
 * The inspector's token, kept where only this origin (scheme, host and port) can read it: it arrives in the
 * address's fragment (`#t=…`, which browsers never send to a server), moves to this tab's sessionStorage, and leaves
 * the address bar. A reload or a restart of hooktape on the same port and store finds it there; no cookie exists.
 */
const KEY = "hooktape.token";
const FROM_ADDRESS = /^#t=([A-Za-z0-9_-]{20,200})$/;

/** Takes a token from the address (and drops it from there and from history); else the one this tab keeps. */
export function takeToken(): string | null {
  const match = FROM_ADDRESS.exec(location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(KEY, match[1]);
    history.replaceState(null, "", `${location.pathname}#/`);
    return match[1];
  }
  return sessionStorage.getItem(KEY);
}

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}
