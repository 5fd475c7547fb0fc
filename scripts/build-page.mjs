// Bundles the inspector's page (Preact + TSX) into dist/inspector/page: index.html, app.js, app.css.
// Runs after tsc in `npm run build` (and so in `prepare`, on `npm ci`). Nothing is fetched at run time.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src/inspector/page");
const out = join(root, "dist/inspector/page");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(source, "main.tsx")],
  outfile: join(out, "app.js"),
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
