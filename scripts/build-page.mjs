// Bundles the inspector's page (Preact + TSX) into dist/inspector/page: index.html, app.js, app.css, and chunks/
// for what loads on first use (the CodeMirror editor). Runs after tsc in `npm run build` (and so in `prepare`, on `npm ci`). Nothing is fetched at run time.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src/inspector/page");
const out = join(root, "dist/inspector/page");
rmSync(join(out, "chunks"), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(source, "main.tsx")],
  outdir: out,
  entryNames: "app",
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  logLevel: "warning",
});
copyFileSync(join(source, "index.html"), join(out, "index.html"));
copyFileSync(join(source, "app.css"), join(out, "app.css"));
