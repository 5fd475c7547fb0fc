// Bundles the CLI (src/cli/index.ts) into dist/cli/: index.js, the chunks each command loads on first use (the
// command modules are imported lazily, so each becomes a chunk of its own; the provider catalogue, the registry, is one
// chunk: a hundred small ones cost more to load than one), and the two worker-thread entries, search-worker.js and checkpoint-worker.js. Runs after tsc in `npm run build`; tsc's output
// of the other folders stays for the library entry (dist/index.js) and its types.
//
// Every file lands flat in dist/cli/, one folder below dist/ as the modules it replaces were: the paths modules find
// by their own location (`new URL("../../dist/inspector/page", import.meta.url)`, "../worker/relay-worker.js",
// "./search-worker.js") resolve from a chunk as they did from tsc's output, in the repository and in an installed
// package alike.
//
// Not minified: a stack trace names the bundle's shipped files with readable code, each module headed by a comment
// naming its src/ file. The source maps beside them are external (no `sourceMappingURL` line: the package ships no
// maps, and a shipped file must not point at one it lacks); the benches' profiles read them by name.
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist/cli");

// The dependencies stay in node_modules, loaded as they are today: better-sqlite3 is a native module, cloudflared and
// workerd install binaries, undici and string-width are required by path on first use (src/forward/deliver.ts,
// src/cli/views/table.ts). Bundling the pure-JS rest too (commander, chalk, ora, jose) saved 3-6 ms of CPU out of 150
// on `--help` and none measurable on `events list` (40 interleaved rounds): not worth shipping copies of their code,
// and their licences, inside dist/.
rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    index: join(root, "src/cli/index.ts"),
    "search-worker": join(root, "src/inspector/search-worker.ts"),
    "checkpoint-worker": join(root, "src/store/checkpoint-worker.ts"),
  },
  absWorkingDir: root,
  outdir: out,
  chunkNames: "[name]-[hash]",
  splitting: true,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "external",
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
});
// Which source modules each output holds: the start-up tests read it to name what a command loaded.
writeFileSync(join(out, "meta.json"), JSON.stringify(result.metafile));
