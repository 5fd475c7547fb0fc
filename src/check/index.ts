export { runCheck, checksFor, CHECK_TITLES, type CheckOptions, type CheckOutcome, type CheckReport, type CheckResult, type CheckTestId, type Deadline } from "./run-check.js";
export { sampleSubject, type CheckSubject } from "./sample-event.js";
export { toJunitXml } from "./junit.js";
export { wrongSecretLike } from "./wrong-secret.js";
