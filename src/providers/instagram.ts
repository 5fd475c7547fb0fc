import { META } from "./meta.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";

// A Meta product a developer looks for by name: Meta's scheme, app secret and headers, with its own product page.
// An alias of `meta`, never auto-detected over it.
export const instagram = defineHmacScheme({
  ...META,
  id: "instagram",
  name: "Instagram",
  docs: "https://developers.facebook.com/docs/instagram-platform/webhooks",
  aliasOf: "meta",
  // A message is named by its mid.
  dedup: {
    keys: [{ json: "entry[*].messaging[*].message.mid", example: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAxNDQ0NjEx" }],
    attempts: "same-bytes",
  },
});
