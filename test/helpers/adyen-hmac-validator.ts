// @adyen/api-library's HmacValidator, loaded from the module that defines it: the package's root also loads its whole
// API client (2,300 declaration files for the type-check, a second of CPU to import) for this one class.
import { createRequire } from "node:module";

type HmacValidatorModule = typeof import("@adyen/api-library/lib/src/utils/hmacValidator.js", { with: { "resolution-mode": "require" } });

// Required rather than imported: the module is CommonJS with the class on `exports.default`, which an ES import
// reaches as `.default` in Node and unwrapped under vitest's interop; require() is the same in both.
const require = createRequire(import.meta.url);

/** The class the package's root exports as `hmacValidator`. */
export const HmacValidator = (require("@adyen/api-library/lib/src/utils/hmacValidator.js") as HmacValidatorModule).default;
export type HmacValidator = InstanceType<typeof HmacValidator>;
