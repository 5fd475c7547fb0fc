const AT = " at position ";

/** Whether a text is JSON, and where it stops being so: "line 3, column 7: Unexpected token". Null when it is. */
export function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // V8 says "<what> in JSON at position <n> (line <l> column <c>)"; the position is counted here, in one way.
    const at = reason.indexOf(AT);
    const position = at < 0 ? Number.NaN : Number.parseInt(reason.slice(at + AT.length), 10);
    if (Number.isNaN(position)) return reason;
    let what = reason.slice(0, at);
    if (what.endsWith(" in JSON")) what = what.slice(0, -" in JSON".length);
    const before = text.slice(0, position);
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    return `line ${line}, column ${column}: ${what}`;
  }
}
