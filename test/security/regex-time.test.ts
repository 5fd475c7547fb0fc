import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../../src");
const LENGTH = 50_000;
/** Far above what any linear regex needs on 50,000 characters (< 5 ms), far below a quadratic one (seconds). */
const BOUND_MS = 300;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every regular-expression literal in src/, with where it is. */
function regexLiterals(): Array<{ where: string; regex: RegExp }> {
  const found: Array<{ where: string; regex: RegExp }> = [];
  for (const file of sourceFiles(SRC)) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(source);
        const slash = text.lastIndexOf("/");
        const flags = text.slice(slash + 1).replace(/[gy]/g, "");
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push({ where: `${path.relative(SRC, file)}:${line} ${text}`, regex: new RegExp(text.slice(1, slash), flags) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * Inputs that make backtracking regexes slow: long runs of each character the regex names (`/` for `/\/+$/`), of
 * pairs of them, and of the usual suspects, each followed by a character that makes the match fail at the end.
 */
function adversarialInputs(regex: RegExp): string[] {
  const named = [...new Set(regex.source.replace(/\\[dDsSwWbB]/g, "").replace(/\\/g, ""))].filter((ch) => ch >= " " && ch <= "~");
  const usual = ["a", "0", " ", "\t", "/", "=", ",", ";", ".", "-", "_", "*", "%", ":", "é"];
  const singles = [...new Set([...named, ...usual])];
  const inputs: string[] = [];
  for (const ch of singles) {
    inputs.push(ch.repeat(LENGTH) + "\u0000", ch.repeat(LENGTH));
  }
  for (const a of named.slice(0, 12)) for (const b of usual.slice(0, 6)) inputs.push((a + b).repeat(LENGTH / 2) + "\u0000");
  inputs.push("a=".repeat(LENGTH / 2) + "\n", "v1=".repeat(LENGTH / 3) + ",", " =".repeat(LENGTH / 2), "t=1,".repeat(LENGTH / 4) + "=");
  return inputs;
}

function timeOf(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

describe("no regex in src/ takes super-linear time on long hostile input", () => {
  const literals = regexLiterals();

  it("finds the regexes it is meant to check", () => {
    expect(literals.length).toBeGreaterThan(20);
  });

  it.each(literals.map((literal) => [literal.where, literal.regex] as const))("%s", (_where, regex) => {
    for (const input of adversarialInputs(regex)) {
      // A run over the bound is tried twice more and the fastest counts: a super-linear regex is slow every time, a
      // pause of the loaded machine (another process's turn, a GC) is not.
      let elapsed = timeOf(() => regex.test(input));
      for (let retry = 0; retry < 2 && elapsed > BOUND_MS; retry++) elapsed = Math.min(elapsed, timeOf(() => regex.test(input)));
      if (elapsed > BOUND_MS) throw new Error(`${elapsed.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 12))}… (${input.length} chars)`);
    }
  });
});
