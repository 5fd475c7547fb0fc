import { badInput } from "../../core/errors.js";
import type { HeaderPairs } from "../../core/types.js";
import { joinPublicUrl, mergeHeaders, parseHeaderLine } from "../../core/headers.js";
import { parseInteger } from "../../core/units.js";
import {
  encodeBody,
  FIXTURE_VERSION,
  redactHeaders,
  signatureHeadersOf,
  requireSecrets,
  serializeFixture,
  signRequest,
  type Fixture,
} from "../../fixture-files/index.js";
import { getProvider, type Provider } from "../../providers/index.js";
import { outputFor, withStore, type GlobalFlags } from "../context.js";
import { readBodyFile, readStdin } from "../body-input.js";
import { writeOutputFile } from "../output-file.js";
import { formatCurl } from "../../documents/curl-command.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";
import { createSecretBook } from "../../secrets/secret-book.js";

export interface SignFlags extends GlobalFlags, HmacFlags {
  provider: string;
  secret: string[];
  body?: string;
  bodyFile?: string;
  event?: string;
  timestamp?: string;
  id?: string;
  url?: string;
  method: string;
  path?: string;
  header: string[];
  format: "headers" | "fixture" | "curl";
  out?: string;
  force?: boolean;
}

/** What is being signed: the body and the request around it. */
interface Draft {
  body: Buffer;
  method: string;
  path: string;
  url: string | undefined;
  /** The request's own headers (a captured event's, or a guessed Content-Type). */
  headers: HeaderPairs;
}

export async function runSign(flags: SignFlags): Promise<void> {
  const output = outputFor(flags);
  const provider = providerFrom(flags.provider, flags);
  const overrides = flags.header.map((line) => parseHeaderLine(line, "--header"));
  const timestamp = flags.timestamp === undefined ? undefined : parseInteger(flags.timestamp, "--timestamp", 0);
  if (flags.out !== undefined && flags.format !== "fixture") throw badInput("--out writes a fixture: use it with --format fixture");
  if (flags.json && flags.format === "curl") throw badInput("--json and --format curl contradict each other; choose one");
  if (flags.url !== undefined) checkUrl(flags.url);
  const secret = requireSecrets(provider, createSecretBook({ flagValues: flags.secret, env: process.env, namedProvider: provider.id }), "sign")[0] ?? "";
  const draft = await draftFrom(flags);

  const signed = signRequest({
    provider,
    secret,
    body: draft.body,
    timestamp,
    id: flags.id,
    url: draft.url,
    method: draft.method,
    headers: mergeHeaders(draft.headers, overrides),
  });
  const url = signed.url ?? draft.url;

  if (flags.format === "fixture") {
    const fixture: Fixture = {
      hooktape: FIXTURE_VERSION,
      provider: provider.id,
      request: {
        method: draft.method,
        url: url ?? draft.path,
        // A captured event's own headers may hold credentials; a fixture never does.
        headers: redactHeaders(mergeHeaders(signed.headers, overrides), signatureHeadersOf(provider)),
        ...encodeBody(signed.body),
      },
      signedAt: signed.timestamp,
    };
    const scheme = hmacSettingsFrom(flags);
    if (provider.id === "hmac" && Object.keys(scheme).length > 0) fixture.scheme = scheme;
    const text = serializeFixture(fixture);
    if (flags.out === undefined) {
      output.bytes(Buffer.from(text));
      return;
    }
    writeOutputFile(flags.out, text, { force: flags.force, flag: "--out" });
    output.info(`Wrote ${flags.out}`);
    return;
  }

  if (flags.format === "curl") {
    const target = url ?? `http://localhost:3000${draft.path}`;
    if (url === undefined) output.info(`No --url given: the command posts to ${target}; edit it or pass --url.`);
    output.line(formatCurl({ method: draft.method, url: target, headers: mergeHeaders(signed.headers, overrides), body: signed.body }));
    return;
  }

  const headers = mergeHeaders(signed.signatureHeaders, overrides);
  if (output.json) {
    const object: Record<string, string> = {};
    for (const [name, value] of headers) object[name] = object[name] === undefined ? value : `${object[name]}, ${value}`;
    // A scheme that signs inside the body (Amazon SNS, Adyen, Mailgun, Wix) changes it: the body to send comes too.
    const signsInBody = provider.bodySignature !== undefined || !signed.body.equals(draft.body);
    const body = signsInBody ? encodeBody(signed.body) : {};
    output.document({ provider: provider.id, headers: object, ...(signed.url !== undefined ? { url: signed.url } : {}), ...body });
    return;
  }
  for (const [name, value] of headers) output.line(`${name}: ${value}`);
  if (signed.url !== undefined) output.info(`The scheme changed the URL; send to: ${signed.url}`);
  if (!signed.body.equals(draft.body)) output.info("This scheme carries its signature inside the body: use --json, --format fixture or curl to get it.");
}

/** The provider by id, with the generic scheme's flags; exit 2 naming the catalogue when unknown. */
export function providerFrom(id: string, flags: HmacFlags): Provider {
  const provider = getProvider(id, id === "hmac" ? { hmac: hmacSettingsFrom(flags) } : undefined);
  if (!provider) throw badInput(`Unknown --provider "${id}"; see \`hooktape providers\``);
  return provider;
}

export function checkUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw badInput(`Invalid --url "${url}": expected the full URL the sender calls, e.g. https://example.com/webhooks/twilio`);
  }
}

async function draftFrom(flags: SignFlags): Promise<Draft> {
  const sources = [flags.body !== undefined, flags.bodyFile !== undefined, flags.event !== undefined].filter(Boolean).length;
  if (sources > 1) throw badInput("Give the body once: --body, --body-file or --event");
  const method = flags.method.toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw badInput(`Invalid --method "${flags.method}": expected an HTTP method such as POST`);
  const path = flags.path ?? (flags.url !== undefined ? pathOf(flags.url) : "/");
  if (!path.startsWith("/")) throw badInput(`Invalid --path "${path}": expected a path starting with /, e.g. /webhooks/stripe`);

  if (flags.event !== undefined) {
    const id = flags.event;
    const event = withStore(flags, (store) => store.getEvent(id), { readonly: true });
    if (event.rejected !== null) throw badInput(`Event ${event.id} was rejected as too large; its body was not recorded`);
    const calledUrl = event.publicUrl ? joinPublicUrl(event.publicUrl, event.url) : undefined;
    return {
      body: event.body,
      method: flags.method === "POST" ? event.method : method,
      path: flags.path ?? event.url,
      url: flags.url ?? calledUrl,
      headers: event.headers,
    };
  }

  let body: Buffer;
  if (flags.body !== undefined) body = Buffer.from(flags.body, "utf8");
  else if (flags.bodyFile !== undefined) body = readBodyFile(flags.bodyFile);
  else body = await readStdin();
  const contentType = guessContentType(body);
  return { body, method, path, url: flags.url, headers: [["Content-Type", contentType]] };
}

/** JSON when it parses, a form when it looks like `a=1&b=2` (Twilio signs forms differently), else text. */
function guessContentType(body: Buffer): string {
  const text = body.toString("utf8").trim();
  if (text === "") return "application/json";
  try {
    JSON.parse(text);
    return "application/json";
  } catch {
    // not JSON
  }
  if (/^[^=&\s]+=[^&\s]*(&[^=&\s]+=[^&\s]*)*$/.test(text)) return "application/x-www-form-urlencoded";
  return "text/plain; charset=utf-8";
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return "/";
  }
}
