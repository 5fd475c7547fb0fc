// What scripts call most: `--version` is answered by the executable itself, before the CLI is loaded, and says
// the same as the package; with other arguments the full CLI answers as before.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("hooktape --version", () => {
  it.each([["--version"], ["-v"], ["--json", "--version"]])("%s prints the package's version and exits 0", async (...args) => {
    const run = await runCli(args);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});
