// Finds the examples in a Markdown document: the fenced blocks a reader would copy and run.
//
// - ```sh (also shell, bash): every command in it runs, in order; each must exit 0, or the code its trailing
//   `# exits N` comment names.
// - ```console: `$ ` lines are commands; the lines after one, up to the next, are output it must print (ids, times,
//   ports and durations masked as in the tests' other output checks).
// - A bare ``` block whose first command line starts with `hooktape ` or `$ ` is read as sh or console.
// - ```ts: TypeScript, run with node (a vitest file is run by vitest, in a project of its own).
// - ```yaml: a GitHub Actions workflow; its `run:` steps run in order.
// - An info-string word `offline`, or a comment line `# needs the internet: …` (a step's comment in YAML), marks an
//   example that cannot run without the internet: it is counted and skipped, nothing else is.
// - `handler=broken` in the info string: port 3000 in that block is a handler that skips signature verification.

export type ExampleKind = "sh" | "console" | "ts" | "yaml";

export interface ConsoleCommand {
  command: string;
  expected: string[];
}

export interface Example {
  /** The line of the opening fence, 1-based, for messages. */
  line: number;
  kind: ExampleKind;
  /** Why it is not run (it needs the internet), or null. */
  offline: string | null;
  handler: "correct" | "broken";
  /** sh: the commands, continuation lines joined. */
  commands: string[];
  /** console: each command with the output it shows. */
  transcript: ConsoleCommand[];
  /** ts, yaml: the block as written. */
  code: string;
}

const OFFLINE_COMMENT = /^\s*#\s*needs the internet\b:?\s*(.*)$/m;

export function extractExamples(markdown: string): Example[] {
  const lines = markdown.split("\n");
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(.*)$/.exec(lines[i] ?? "");
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ""); i++) body.push(lines[i] ?? "");
    const example = toExample(open[1] ?? "", (open[2] ?? "").trim().split(/\s+/).filter(Boolean), body, start + 1);
    if (example !== null) examples.push(example);
  }
  return examples;
}

function toExample(language: string, words: string[], body: string[], line: number): Example | null {
  const kind = kindOf(language, body);
  if (kind === null) return null;
  const text = body.join("\n");
  const marked = OFFLINE_COMMENT.exec(text);
  const offline = words.includes("offline") ? "marked offline" : kind !== "yaml" && marked ? marked[1] || "needs the internet" : null;
  return {
    line,
    kind,
    offline,
    handler: words.includes("handler=broken") ? "broken" : "correct",
    commands: kind === "sh" ? shellCommands(body) : [],
    transcript: kind === "console" ? transcript(body) : [],
    code: text,
  };
}

function kindOf(language: string, body: string[]): ExampleKind | null {
  if (["sh", "shell", "bash"].includes(language)) return "sh";
  if (language === "console") return "console";
  if (language === "ts" || language === "typescript") return "ts";
  if (language === "yaml" || language === "yml") return "yaml";
  if (language !== "") return null;
  const first = body.find((line) => line.trim() !== "" && !line.trim().startsWith("#"))?.trim() ?? "";
  if (first.startsWith("$ ")) return "console";
  if (first.startsWith("hooktape ")) return "sh";
  return null;
}

/** Command lines, with `\` continuations joined; comment-only and blank lines dropped. */
function shellCommands(body: string[]): string[] {
  const commands: string[] = [];
  let pending = "";
  for (const raw of body) {
    if (pending === "" && (raw.trim() === "" || raw.trim().startsWith("#"))) continue;
    if (raw.endsWith("\\")) {
      pending += raw.slice(0, -1) + " ";
      continue;
    }
    commands.push(pending + raw);
    pending = "";
  }
  if (pending !== "") commands.push(pending);
  return commands;
}

function transcript(body: string[]): ConsoleCommand[] {
  const commands: ConsoleCommand[] = [];
  for (const line of body) {
    if (line.startsWith("$ ")) commands.push({ command: line.slice(2), expected: [] });
    else if (line.trim() !== "") commands.at(-1)?.expected.push(line);
  }
  return commands;
}

/** The exit code a command's trailing `# exits N` comment names, else 0. */
export function expectedExit(command: string): number {
  const match = /#\s*exits\s+(\d+)\b/.exec(command);
  return match ? Number(match[1]) : 0;
}

export interface WorkflowStep {
  name: string;
  uses: string | null;
  run: string | null;
  /** Why the step is not run here (its `# needs the internet: …` comment), or null. */
  offline: string | null;
  /** The step's `if:` condition, as written. */
  condition: string | null;
}

export interface Workflow {
  env: Record<string, string>;
  steps: WorkflowStep[];
}

/**
 * The one job of a GitHub Actions workflow as docs/ci.md writes it: job-level `env:` and `steps:` with `name`, `uses`,
 * `run` (one line or a `|` block), `if` and `with` (ignored: it configures actions, which do not run here).
 */
export function parseWorkflow(yaml: string): Workflow {
  const lines = yaml.split("\n");
  const env: Record<string, string> = {};
  const steps: WorkflowStep[] = [];
  let section: "env" | "steps" | null = null;
  let sectionIndent = 0;
  let step: WorkflowStep | null = null;
  let stepIndent = 0;
  let comment: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    if (text.startsWith("#")) {
      const offline = OFFLINE_COMMENT.exec(text);
      if (offline) comment = offline[1] || "needs the internet";
      continue;
    }
    if (section !== null && indent <= sectionIndent) section = null;
    if (section === null) {
      if (text === "env:" || text === "steps:") {
        section = text === "env:" ? "env" : "steps";
        sectionIndent = indent;
      }
      continue;
    }
    if (section === "env") {
      const pair = /^([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$/.exec(text);
      if (pair) env[pair[1] ?? ""] = unquote(pair[2] ?? "");
      continue;
    }
    let field = text;
    if (text.startsWith("- ")) {
      step = { name: "", uses: null, run: null, offline: null, condition: null };
      steps.push(step);
      stepIndent = indent + 2;
      field = text.slice(2);
    }
    if (step === null || indent > stepIndent) continue; // a `with:` map's entries
    const pair = /^([a-z-]+):\s*(.*)$/.exec(field);
    if (pair === null) continue;
    const [, key, value = ""] = pair;
    if (key === "name") step.name = unquote(value);
    else if (key === "uses") step.uses = value;
    else if (key === "if") step.condition = value;
    else if (key === "run") {
      step.offline = comment;
      comment = null;
      if (value === "|") {
        const block: string[] = [];
        while (i + 1 < lines.length && ((lines[i + 1] ?? "").trim() === "" || (lines[i + 1] ?? "").length - (lines[i + 1] ?? "").trimStart().length > stepIndent)) {
          i++;
          block.push((lines[i] ?? "").trim());
        }
        step.run = block.join("\n").trim();
      } else step.run = value;
    }
  }
  return { env, steps };
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}
