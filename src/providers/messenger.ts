import { META } from "./meta.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";

// A Meta product a developer looks for by name: Meta's scheme, app secret and headers, with its own product page.
// An alias of `meta`, never auto-detected over it.
export const messenger = defineHmacScheme({
  ...META,
  id: "messenger",
  name: "Facebook Messenger",
  docs: "https://developers.facebook.com/docs/messenger-platform/webhooks",
  aliasOf: "meta",
  // A message is named by its mid.
  dedup: { keys: [{ json: "entry[*].messaging[*].message.mid", example: "m_1457764197618:41d102a3e1ae206a38" }], attempts: "same-bytes" },
});
