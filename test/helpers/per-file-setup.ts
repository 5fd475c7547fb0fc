import { registerAfterEachTest } from "./after-each-test.js";

// Runs before every test file, in the file's own scope, even when files share a worker's modules.
registerAfterEachTest();
