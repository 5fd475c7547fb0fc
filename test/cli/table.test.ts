import { Chalk } from "chalk";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { renderTable } from "../../src/cli/views/table.js";

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
});
