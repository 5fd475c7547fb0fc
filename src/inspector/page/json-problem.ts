/** Whether a text is JSON, and where it stops being so: "line 3, column 7: Unexpected token". Null when it is. */
export function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(reason);
    if (!position) return reason;
    const before = text.slice(0, Number(position[1]));
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    return `line ${line}, column ${column}: ${reason.replace(/,? *(in JSON )?at position \d+.*$/, "")}`;
  }
}
