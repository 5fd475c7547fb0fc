import { META } from "./meta.js";
import { defineHmacScheme } from "./schemes/hmac-scheme.js";

// A Meta product a developer looks for by name: Meta's scheme, app secret and headers, with its own product page.
// An alias of `meta`, never auto-detected over it.
export const whatsapp = defineHmacScheme({
  ...META,
  id: "whatsapp",
  name: "WhatsApp Business (Cloud API)",
  docs: "https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks",
  aliasOf: "meta",
  // A message is named by its wamid.
  dedup: {
    keys: [{ json: "entry[*].changes[*].value.messages[*].id", example: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA" }],
    attempts: "same-bytes",
  },
});
