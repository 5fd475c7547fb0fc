export { bodyJson, detailJson, summaryJson } from "./event-json.js";
export { replayJson, sortAttempts } from "./replay-json.js";
export { formatCurl, shellQuote } from "./curl-command.js";
export { clockTime, dateTimeOf, localDate, localDateTime, shortDateTime } from "./local-time.js";
export { deliveryErrorInWords, deliveryErrorShort, deliveryInWords, reasonInWords, verificationInWords } from "./words.js";
