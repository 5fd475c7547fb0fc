import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { badInput, HooktapeError } from "../../core/errors.js";
import { newEventId } from "../../core/ids.js";
import type { CapturedEvent } from "../../core/types.js";
import { redactNamed } from "../../core/redact.js";
import { eventTypeOf } from "../../providers/event-type.js";
import { secretHeadersOf, verifyWith } from "../../providers/verification.js";
import { fixtureBody, fixtureFromEvent, fixturePath, loadFixtureSync, serializeFixture, type Fixture } from "../../fixture-files/index.js";
import { TOKEN_HEADERS } from "../../providers/index.js";
import { parseProviderFlag } from "../provider-flag.js";
import { outputFor, withStore, type GlobalFlags } from "../context.js";
import { writeOutputFile } from "../output-file.js";
import { formatVerification } from "../views/event-view.js";
import { hmacSettingsFrom, type HmacFlags } from "./hmac-flags.js";
import { createSecretBook, type SecretBook } from "../../secrets/secret-book.js";

/**
 * Writes `<dir>/<event id>.json` for each event — the name comes from the id alone, never from the request's
 * path — with credentials redacted. Refuses to overwrite unless --force, and checks every file before writing any.
 */
export function runFixturesExport(ids: readonly string[], flags: GlobalFlags & { dir: string; force?: boolean }): void {
  const output = outputFor(flags);
  const fixtures = withStore(flags, (store) => {
    const seen = new Set<string>();
    const list: Array<{ id: string; fixture: Fixture }> = [];
    for (const id of ids) {
      const event = store.getEvent(id);
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      list.push({ id: event.id, fixture: fixtureFromEvent(event) });
    }
    return list;
  }, { readonly: true });
  const dir = resolve(flags.dir);
  // Event ids are ULIDs (Crockford base32): checked again here so that no id can ever name a path outside --dir.
  const files = fixtures.map(({ id }) => {
    if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) throw new HooktapeError("bad_input", `Refusing to write a fixture for the odd event id "${id}"`);
    return join(dir, `${id}.json`);
  });
  if (!flags.force) {
    const existing = files.filter((file) => existsSync(file));
    if (existing.length > 0) throw badInput(`${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""}; pass --force to overwrite`);
  }
  try {
    // A folder hooktape creates for fixtures is private like the store's; an existing one keeps its mode.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw badInput(`Cannot create --dir ${flags.dir}: ${(error as { code?: string }).code ?? String(error)}`);
  }
  fixtures.forEach(({ fixture }, index) => {
    writeOutputFile(files[index] ?? "", serializeFixture(fixture), { force: flags.force, flag: "--dir" });
  });
  if (output.json) {
    output.document({ files });
    return;
  }
  for (const file of files) output.line(file);
  output.info(`Exported ${files.length} fixture${files.length === 1 ? "" : "s"} (Authorization, Cookie and API-key headers redacted).`);
}

/**
 * Records fixtures as events, received at the time they were captured (meta.capturedAt) or signed (signedAt),
 * else now — so a fixture's signature is judged at the moment it was made, and `verify --event` agrees. The
 * verification is computed when a secret is available; the secret itself is never stored.
 */
export function runFixturesImport(files: readonly string[], flags: GlobalFlags & HmacFlags & { provider?: string; secret: string[] }): void {
  const output = outputFor(flags);
  parseProviderFlag(flags.provider);
  const fixtures = files.map((file) => ({ file, fixture: loadFixtureSync(file) }));
  const now = Date.now();
  const secrets = createSecretBook({ flagValues: flags.secret, env: process.env });
  const imported = withStore(flags, (store) =>
    fixtures.map(({ file, fixture }) => {
      const event = eventFromFixture(fixture, flags, secrets, now);
      store.insertEvent(event);
      return { file, event };
    }),
  );
  if (output.json) {
    output.document(
      imported.map(({ file, event }) => ({
        file,
        id: event.id,
        provider: event.provider,
        verification: { status: event.verification.status, reason: event.verification.reason },
      })),
    );
    return;
  }
  for (const { file, event } of imported) {
    output.line(`${event.id}  ${file}  ${event.provider ?? "unknown provider"} ${formatVerification(event.verification, output.color)}`);
  }
  output.info(`Imported ${imported.length} fixture${imported.length === 1 ? "" : "s"} into ${flags.db ?? "the store"}.`);
}

function eventFromFixture(fixture: Fixture, flags: HmacFlags & { provider?: string }, secrets: SecretBook, now: number): CapturedEvent {
  const body = fixtureBody(fixture);
  const capturedAt = fixture.meta?.capturedAt === undefined ? undefined : Date.parse(fixture.meta.capturedAt);
  const receivedAt = capturedAt ?? (fixture.signedAt !== undefined ? fixture.signedAt * 1000 : now);
  const full = /^https?:\/\//i.test(fixture.request.url) ? new URL(fixture.request.url) : null;
  const path = fixturePath(fixture);
  const request = { method: fixture.request.method, url: path, headers: fixture.request.headers, body };
  const { provider, verification } = verifyWith(
    {
      providerId: flags.provider ?? fixture.provider ?? undefined,
      secretsOf: (id) => secrets.verifying(id),
      hmac: { ...fixture.scheme, ...hmacSettingsFrom(flags) },
    },
    request,
    { nowSec: Math.floor(receivedAt / 1000), url: full ? fixture.request.url : undefined },
  );
  return {
    ...request,
    // A token scheme's header is the secret itself: it never goes into the database.
    headers: redactNamed(request.headers, [...TOKEN_HEADERS, ...secretHeadersOf(provider)]),
    receivedAt,
    id: newEventId(receivedAt),
    remoteAddress: null,
    via: "local",
    provider: provider?.id ?? null,
    eventType: eventTypeOf(provider, request),
    verification,
    rejected: null,
    notForwarded: null,
    bodySize: body.length,
    bodySha256: createHash("sha256").update(body).digest("hex"),
    publicUrl: full ? full.origin : null,
    target: null,
  };
}
