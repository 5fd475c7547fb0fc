/**
 * Text as a terminal should show it when it may hold a stranger's bytes (a captured body, a header, a handler's
 * answer): C0 controls, DEL and C1 controls (U+0080–U+009F, which some terminals take as CSI/OSC) become visible
 * escapes (`\x1b`, `\u009b`), so that a body cannot clear the screen, retitle the window or write the clipboard
 * (OSC 52). Newline and tab stay. `keepStyles`: the colour sequences hooktape's own views add (SGR, `ESC[…m`, with the
 * parameters chalk uses) are kept; every other escape sequence is shown, not obeyed.
 */
export function printable(text: string, options: { keepStyles?: boolean } = {}): string {
  let out = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) continue;
    if (code === 0x0a || code === 0x09 || code > 0x9f) continue;
    if (code === 0x1b && options.keepStyles) {
      const end = styleSequenceEnd(text, i);
      if (end > 0) {
        i = end - 1;
        continue;
      }
    }
    out += text.slice(start, i) + visibleEscape(code);
    start = i + 1;
  }
  return start === 0 ? text : out + text.slice(start);
}

/** True when bytes are text a terminal can show as they are: valid UTF-8 without controls other than \n, \r, \t. */
export function isPrintableText(bytes: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
}

function visibleEscape(code: number): string {
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * The index after an SGR sequence at `at` whose parameters are all ones chalk emits (styles 0–4, 7, 9 and their
 * resets, colours 30–49 and 90–107), else 0. Conceal (8), blink and anything that is not SGR are not kept.
 */
function styleSequenceEnd(text: string, at: number): number {
  if (text.charCodeAt(at + 1) !== 0x5b) return 0; // "["
  let i = at + 2;
  let param = "";
  const limit = Math.min(text.length, at + 32);
  for (; i < limit; i++) {
    const ch = text[i] as string;
    if (ch >= "0" && ch <= "9") {
      param += ch;
      continue;
    }
    if (ch === ";" || ch === "m") {
      if (!isChalkStyle(param)) return 0;
      if (ch === "m") return i + 1;
      param = "";
      continue;
    }
    return 0;
  }
  return 0;
}

function isChalkStyle(param: string): boolean {
  if (param === "" || param.length > 3) return param === "";
  const n = Number(param);
  return n <= 4 || n === 7 || n === 9 || (n >= 21 && n <= 29 && n !== 25 && n !== 28) || (n >= 30 && n <= 49) || (n >= 90 && n <= 107);
}
