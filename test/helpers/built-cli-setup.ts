import { existsSync } from "node:fs";
import path from "node:path";

/** e2e and browser tests run the built CLI, as a user would: `npm test` builds first; a bare `vitest` needs `npm run build`. */
export default function setup(): void {
  const built = path.resolve(import.meta.dirname, "../../dist/cli/index.js");
  if (!existsSync(built)) throw new Error("dist/ is missing: run `npm run build` (npm test does it for you)");
}
