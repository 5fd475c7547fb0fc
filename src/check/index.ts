export { runCheck, CHECK_TITLES, type CheckOptions, type CheckReport, type CheckResult, type CheckTestId } from "./run-check.js";
export { sampleSubject, type CheckSubject } from "./sample-event.js";
export { toJunitXml } from "./junit.js";
export { wrongSecretLike } from "./wrong-secret.js";
