// Bundles the relay's worker (src/worker, no Node API) into dist/worker/relay-worker.js: the one module that
// `relay deploy` uploads to Cloudflare and `relay serve` runs in workerd. Runs after tsc in `npm run build`.
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist/worker/relay-worker.js");
mkdirSync(dirname(out), { recursive: true });

// Each auto-detected provider with the headers its detection needs, in detection order, read off the registry tsc just
// built (a header is needed when detection fails without it): the relay tells a signed request (Slack, Zoom, any
// provider) from a bare handshake as listen does, without the providers' code.
const { providers } = await import(pathToFileURL(join(root, "dist/providers/index.js")).href);
const detectionHeaders = providers.flatMap((provider) => {
  const all = provider.headers.map((name) => [name, "x"]);
  if (all.length === 0 || !provider.detect(all)) return [];
  const needed = provider.headers.filter((name) => !provider.detect(all.filter(([other]) => other !== name)));
  return needed.length === 0 ? [] : [[provider.id, needed.map((name) => name.toLowerCase())]];
});

await build({
  entryPoints: [join(root, "src/worker/index.ts")],
  outfile: out,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: ["cloudflare:workers"],
  define: { HOOKTAPE_PROVIDER_DETECTION_HEADERS: JSON.stringify(detectionHeaders) },
  legalComments: "none",
  logLevel: "warning",
});

// The worker runs without Node's APIs: a `node:` import would fail on Cloudflare at upload time, so fail here.
const bundled = readFileSync(out, "utf8");
if (/\bfrom\s*["']node:|\brequire\(["']node:/.test(bundled)) throw new Error("dist/worker/relay-worker.js imports a Node module; the worker must not");
