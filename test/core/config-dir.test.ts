import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readConfigJsonFile, writePrivateJsonFile } from "../../src/core/config-dir.js";
import { tempDir } from "../helpers/temp-dir.js";
import { thrown } from "../helpers/thrown.js";

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe("the config folder's private JSON files", () => {
  it("are written 0600 in a folder made 0700, even one that was wider, with no temporary file left", () => {
    const dir = path.join(tempDir(), "hooktape");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const file = path.join(dir, "tunnels.json");
    writePrivateJsonFile(file, { tunnels: [{ hostname: "hooks.example.com" }] });
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["tunnels.json"]);
    expect(readConfigJsonFile(file)).toEqual({ tunnels: [{ hostname: "hooks.example.com" }] });
  });

  it("read as undefined when absent, and as an environment error naming a broken one", () => {
    const dir = tempDir();
    expect(readConfigJsonFile(path.join(dir, "relays.json"))).toBeUndefined();
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    const error = thrown(() => readConfigJsonFile(broken));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(`${broken} is not valid JSON; fix or remove it`);
  });

  it("that cannot be written are an environment error naming the file", () => {
    const blocker = path.join(tempDir(), "not-a-folder");
    writeFileSync(blocker, "");
    const file = path.join(blocker, "relays.json");
    const error = thrown(() => writePrivateJsonFile(file, {}));
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(new RegExp(`^Cannot write ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: E`));
  });
});
