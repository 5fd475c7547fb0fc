#!/usr/bin/env node
// The executable: loads the bundled CLI (dist/cli/, scripts/build-cli.mjs). `npm install` builds dist/ through the
// prepare script. `--version` alone is answered here, before anything is loaded: it is what scripts call most often.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  const { readFileSync } = await import("node:fs");
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  await import("../dist/cli/index.js").catch((error) => {
    const missing = error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist");
    process.stderr.write(
      missing
        ? "hooktape: the build is missing; run `npm run build` in the hooktape folder\n"
        : `hooktape: ${error && error.message ? error.message : String(error)}\n`,
    );
    process.exitCode = 3;
  });
}
