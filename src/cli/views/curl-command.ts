// The curl command builder lives in documents/ (the inspector serves it too).
export { formatCurl, shellQuote } from "../../documents/curl-command.js";
