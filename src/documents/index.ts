export { bodyJson, detailJson, summaryJson } from "./event-json.js";
export { replayJson, sortAttempts } from "./replay-json.js";
export { formatCurl, shellQuote } from "./curl-command.js";
