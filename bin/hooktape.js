#!/usr/bin/env node
// The executable: loads the compiled CLI. `npm install` builds dist/ through the prepare script.
import("../dist/cli/index.js").catch((error) => {
  const missing = error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist");
  process.stderr.write(
    missing
      ? "hooktape: the build is missing; run `npm run build` in the hooktape folder\n"
      : `hooktape: ${error && error.message ? error.message : String(error)}\n`,
  );
  process.exitCode = 3;
});
