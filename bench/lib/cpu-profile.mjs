// Reads a V8 .cpuprofile (from `node --cpu-prof`) and says where the time went: by area and by function.
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * The profile, with each frame of the bundled CLI (a chunk in dist/cli/, its source map beside it) given the URL its
 * module would have as tsc's output (dist/<room>/<module>.js): areas and phases read the same from either build.
 */
function readProfile(file) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const maps = new Map();
  const mapOf = (url) => {
    if (!maps.has(url)) {
      try {
        maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, "utf8"))));
      } catch {
        maps.set(url, null);
      }
    }
    return maps.get(url);
  };
  for (const { callFrame } of profile.nodes) {
    if (!callFrame.url.includes("/dist/cli/")) continue;
    const entry = mapOf(callFrame.url)?.findEntry(callFrame.lineNumber, callFrame.columnNumber);
    if (!entry?.originalSource) continue;
    const original = path.resolve(path.dirname(fileURLToPath(callFrame.url)), entry.originalSource);
    const inSrc = original.split(path.sep).lastIndexOf("src");
    if (inSrc === -1) continue;
    const parts = original.split(path.sep);
    callFrame.url = pathToFileURL([...parts.slice(0, inSrc), "dist", ...parts.slice(inSrc + 1)].join(path.sep).replace(/\.tsx?$/, ".js")).href;
    callFrame.lineNumber = entry.originalLine;
  }
  return profile;
}

/** Which part of the stack a frame belongs to, from its script URL. */
function areaOf(node) {
  const { url, functionName } = node.callFrame;
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(idle)") return "idle";
  if (functionName === "(program)") return "V8/native (program)";
  if (url.includes("better-sqlite3")) return "better-sqlite3 (JS side)";
  if (url.includes("/undici/")) return "undici";
  if (url.includes("/dist/store/")) return "hooktape store/";
  if (url.includes("/dist/capture/")) return "hooktape capture/";
  if (url.includes("/dist/forward/")) return "hooktape forward/";
  if (url.includes("/dist/providers/") || url.includes("/dist/core/")) return "hooktape providers/ + core/";
  if (url.includes("/dist/cli/")) return "hooktape cli/ (output)";
  if (url.includes("/dist/")) return "hooktape other";
  if (url.includes("node_modules")) return "other node_modules";
  if (url.startsWith("node:")) return url.includes("http") || url.includes("net") || url.includes("stream") ? "node http/net/streams" : "node other";
  if (url === "") return "native builtins";
  return "other";
}

export function summarizeCpuProfile(file, { top = 15 } = {}) {
  const profile = readProfile(file);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  for (const us of self.values()) total += us;
  const idle = [...self].filter(([id]) => byId.get(id).callFrame.functionName === "(idle)").reduce((s, [, us]) => s + us, 0);
  const busy = total - idle;

  const key = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\/(dist|node_modules)\//, "$1/")}:${lineNumber + 1}` : "(native)";
    return `${functionName || "(anonymous)"} ${where}`;
  };

  const areas = new Map();
  const selfByFunction = new Map();
  for (const [id, us] of self) {
    const node = byId.get(id);
    const area = areaOf(node);
    areas.set(area, (areas.get(area) ?? 0) + us);
    if (area !== "idle") selfByFunction.set(key(node), (selfByFunction.get(key(node)) ?? 0) + us);
  }

  // Inclusive time of hooktape's own functions: a sample counts once per function even under recursion.
  const inclusive = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (!node.callFrame.url.includes("/dist/")) continue;
      const k = key(node);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }

  const share = (us) => (busy > 0 ? (100 * us) / busy : 0);
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    file,
    wallMs: total / 1000,
    busyMs: busy / 1000,
    areas: sorted(areas).filter(([area]) => area !== "idle").map(([area, us]) => ({ area, ms: us / 1000, pctOfBusy: share(us) })),
    selfTop: sorted(selfByFunction).slice(0, top).map(([fn, us]) => ({ fn, ms: us / 1000, pctOfBusy: share(us) })),
    hooktapeInclusiveTop: sorted(inclusive).slice(0, top).map(([fn, us]) => ({ fn, ms: us / 1000, pctOfBusy: share(us) })),
  };
}

export function formatCpuSummary(summary) {
  const lines = [`CPU profile ${summary.file}: busy ${summary.busyMs.toFixed(0)} ms of ${summary.wallMs.toFixed(0)} ms`];
  lines.push("  by area (self time, % of busy):");
  for (const a of summary.areas) lines.push(`    ${a.pctOfBusy.toFixed(1).padStart(5)}%  ${a.area}`);
  lines.push("  top functions by self time:");
  for (const f of summary.selfTop) lines.push(`    ${f.pctOfBusy.toFixed(1).padStart(5)}%  ${f.fn}`);
  lines.push("  hooktape functions by inclusive time:");
  for (const f of summary.hooktapeInclusiveTop) lines.push(`    ${f.pctOfBusy.toFixed(1).padStart(5)}%  ${f.fn}`);
  return lines.join("\n");
}

/**
 * Where a whole process's time went, by phase: each sample goes to the first rule (in order) that one of its
 * frames matches, or to "other"; idle is the time the process waited (on sockets, timers). `rules`: an array of
 * `[name, (callFrame) => boolean]`.
 */
export function summarizePhases(file, rules) {
  const profile = readProfile(file);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const phaseOf = new Map();
  const classify = (id) => {
    if (phaseOf.has(id)) return phaseOf.get(id);
    const frames = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) frames.push(byId.get(cur).callFrame);
    const leaf = frames[0];
    let phase = leaf.functionName === "(idle)" ? "idle" : leaf.functionName === "(garbage collector)" ? "GC" : null;
    if (phase === null) {
      for (const [name, test] of rules) {
        if (frames.some(test)) {
          phase = name;
          break;
        }
      }
    }
    phase ??= "other";
    phaseOf.set(id, phase);
    return phase;
  };
  const totals = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const phase = classify(id);
    totals.set(phase, (totals.get(phase) ?? 0) + us);
  });
  return {
    wallMs: total / 1000,
    phases: [...totals].sort((a, b) => b[1] - a[1]).map(([phase, us]) => ({ phase, ms: us / 1000, pct: total > 0 ? (100 * us) / total : 0 })),
  };
}
