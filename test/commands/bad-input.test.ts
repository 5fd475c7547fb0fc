import { describe, expect, it } from "vitest";
import { runProgram } from "../helpers/program.js";
import { fixtureFile } from "../fixtures/shipped-secrets.js";

// Every bad input to the signing commands: one line on stderr, nothing on stdout, exit 2, no stack trace.
const cases: Array<[string[], RegExp]> = [
  [["sign", "--provider", "strype", "--secret", "x", "--body", "{}"], /^hooktape: Unknown --provider "strype"; see `hooktape providers`$/],
  [["sign", "--secret", "x", "--body", "{}"], /^hooktape: required option '--provider <id>' not specified/],
  [["sign", "--provider", "stripe", "--secret", "x", "--body", "{}", "--header", "NoColonHere"], /^hooktape: Invalid --header "NoColonHere": expected "Name: value", e\.g\./],
  [["sign", "--provider", "stripe", "--secret", "x", "--body", "{}", "--timestamp", "yesterday"], /^hooktape: Invalid --timestamp "yesterday": expected a whole number$/],
  [["sign", "--provider", "stripe", "--secret", "x", "--body", "{}", "--body-file", "a.json"], /^hooktape: Give the body once: --body, --body-file or --event$/],
  [["sign", "--provider", "stripe", "--secret", "x", "--body-file", "/no/such/file.json"], /^hooktape: Cannot read --body-file \/no\/such\/file\.json: no such file$/],
  [["sign", "--provider", "twilio", "--secret", "x", "--body", "{}"], /^hooktape: Twilio signs the URL it calls: pass the full URL \(--url https:\/\/\.\.\.\)$/],
  [["sign", "--provider", "twilio", "--secret", "x", "--body", "{}", "--url", "example.com/x"], /^hooktape: Invalid --url "example\.com\/x": expected the full URL/],
  [["sign", "--provider", "stripe", "--secret", "x", "--body", "{}", "--format", "yaml"], /^hooktape: option '--format <format>' argument 'yaml' is invalid/],
  [["sign", "--provider", "stripe", "--secret", "x", "--body", "{}", "--out", "f.json"], /^hooktape: --out writes a fixture: use it with --format fixture$/],
  [["sign", "--provider", "standard-webhooks", "--secret", "not-whsec", "--body", "{}"], /^hooktape: Standard Webhooks: expected a secret of the form whsec_<base64>$/],
  [["verify", "--secret", "x"], /^hooktape: Give one thing to verify: --fixture <file>, --event <id>, or a raw request: --header "Name: value" \(repeatable\) with --body, --body-file or the body on stdin$/],
  [["verify", "--fixture", "/no/such.json", "--secret", "x"], /^hooktape: \/no\/such\.json: no such file$/],
  [["verify", "--fixture", fixtureFile("stripe"), "--secret", "x", "--tolerance", "soon"], /^hooktape: Invalid --tolerance "soon": expected a duration/],
  [["verify", "--fixture", fixtureFile("stripe"), "--secret", "x", "--provider", "nope"], /^hooktape: Unknown --provider "nope"/],
  [["send", fixtureFile("stripe"), "--to", "99999"], /^hooktape: Invalid --to "99999": a port is 1 to 65535$/],
  [["send", fixtureFile("stripe"), "--to", "3000", "--expect", "abc"], /^hooktape: Invalid --expect "abc": expected a status \(400\) or a class \(4xx\)$/],
  [["send", fixtureFile("stripe")], /^hooktape: required option '--to <url\|port>' not specified/],
  [["fixtures", "export", "01JD3XK2AAAAAAAAAAAAAAAAAA"], /^hooktape: required option '--dir <dir>' not specified/],
  [["fixtures", "import", "/no/such.json"], /^hooktape: \/no\/such\.json: no such file$/],
];

describe("bad input to sign / verify / send / fixtures", () => {
  it.each(cases)("%j -> one line, exit 2", async (args, message) => {
    const result = await runProgram(args, { env: { HOOKTAPE_DB: "/nonexistent-dir-hooktape/never.db" } });
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd()).toMatch(message);
    const lines = result.stderr.trimEnd().split("\n").filter((line) => !line.startsWith("(run with --help"));
    expect(lines).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(2);
  });
});
