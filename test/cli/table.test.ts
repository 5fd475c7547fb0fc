import { Chalk } from "chalk";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { renderTable, stringWidth as cellWidth } from "../../src/cli/views/table.js";

describe("the table renderer", () => {
  it("aligns columns as a terminal shows them: colour codes take no room, wide characters two columns", () => {
    const color = new Chalk({ level: 1 });
    const lines = renderTable(
      ["NAME", "STATUS", "NOTE"],
      [
        ["café", color.green("200"), "ok"],
        ["日本", color.red("500"), "boom"],
        ["plain", "404", "route"],
      ],
      { color },
    );
    // Every NOTE cell starts at the same terminal column, whatever came before it.
    const noteColumns = lines.map((line) => {
      const plain = line.replace(/\u001b\[[0-9;]*m/g, "");
      const at = plain.search(/(NOTE|ok|boom|route)$/);
      return stringWidth(plain.slice(0, at));
    });
    expect(new Set(noteColumns).size).toBe(1);
    expect(lines[1]?.replace(/\u001b\[[0-9;]*m/g, "")).toBe("café   200     ok");
    expect(lines[2]?.replace(/\u001b\[[0-9;]*m/g, "")).toBe("日本   500     boom");
  });

  it("measures a cell as string-width does, for every character it measures without it and for the ones it hands on", () => {
    // Every code point of the one-column blocks, each alone, in a word and coloured; the ones beside them that are not
    // one column (soft hyphen, direction marks, wide shapes and emoji dingbats) must reach string-width's answer too.
    const color = new Chalk({ level: 1 });
    for (const [from, to] of [[0x20, 0x7e], [0xa0, 0x2ff], [0x2000, 0x206f], [0x2190, 0x21ff], [0x2500, 0x25ff], [0x2700, 0x27bf]] as const) {
      for (let code = from; code <= to; code++) {
        const char = String.fromCodePoint(code);
        for (const cell of [char, `a${char}b`, color.red(`${char}x`)]) expect(cellWidth(cell), `U+${code.toString(16)} in ${JSON.stringify(cell)}`).toBe(stringWidth(cell));
      }
    }
    for (const cell of ["日本", "🙂 ok", "e\u0301", "\u00ad", "\u200b", "tab\there", "\u001b]8;;https://x\u0007link\u001b]8;;\u0007"]) {
      expect(cellWidth(cell), JSON.stringify(cell)).toBe(stringWidth(cell));
    }
  });
});
