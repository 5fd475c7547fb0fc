import { badInput } from "../../core/errors.js";
import type { Registration, RegistrationNotice, RegisterTarget } from "../../register/register-endpoint.js";
import type { SecretBook } from "../../secrets/secret-book.js";
import type { Output } from "../views/output.js";

/** The flags of `listen` that act on the public URL once it is known. */
export interface PublicUrlFlags {
  register?: string | undefined;
  events?: string | undefined;
  path?: string | undefined;
  allowLive?: boolean | undefined;
  onUrl?: string | undefined;
  onExit?: string | undefined;
  secret: string[];
  provider?: string | undefined;
}

export interface PublicUrlPlan {
  target: RegisterTarget | null;
  events: string[];
  flags: PublicUrlFlags;
}

export interface PublicUrlHooks {
  /** The tunnel died: its URL is dead, so the endpoint pointing at it goes now. Capture goes on. */
  tunnelDown(): Promise<void>;
  /** At exit: delete the endpoint, then run `--on-exit`. */
  stop(): Promise<void>;
}

const ON_URL_TIMEOUT_MS = 60_000;
const ON_EXIT_TIMEOUT_MS = 15_000;

/** Checks the flags before anything starts, so that a typo is exit 2 rather than a warning later. */
export async function planPublicUrlHooks(flags: PublicUrlFlags): Promise<PublicUrlPlan> {
  if (flags.register === undefined) {
    if (flags.events !== undefined) throw badInput("--events needs --register, e.g. --register github:acme/shop --events push");
    if (flags.allowLive) throw badInput("--allow-live needs --register stripe");
    return { target: null, events: [], flags };
  }
  const { parseRegisterTarget, parseEvents } = await import("../../register/register-endpoint.js");
  const target = parseRegisterTarget(flags.register);
  if (flags.allowLive && target.provider !== "stripe") throw badInput("--allow-live applies to --register stripe only");
  return { target, events: parseEvents(flags.events), flags };
}

/**
 * Registers the endpoint (teaching its secret to the run's secret book) and runs `--on-url`, once the
 * public URL is known. Everything here fails softly: a warning, and capture goes on.
 */
export async function startPublicUrlHooks(
  plan: PublicUrlPlan,
  context: { publicUrl: string | null; output: Output; secrets: SecretBook; env: NodeJS.ProcessEnv },
): Promise<PublicUrlHooks> {
  const { output, publicUrl } = context;
  const notify = (notice: RegistrationNotice) => renderNotice(output, notice);
  let registration: Registration | null = null;

  if (plan.target !== null) {
    if (publicUrl === null) {
      notify({ type: "warning", message: `--register ${plan.flags.register}: there is no public URL (no tunnel) to register; capturing without registration` });
    } else {
      const { registerEndpoint } = await import("../../register/register-endpoint.js");
      registration = await registerEndpoint(plan.target, {
        publicUrl,
        path: plan.flags.path,
        events: plan.events,
        env: context.env,
        allowLive: plan.flags.allowLive === true,
        secrets: context.secrets,
        notify,
      });
      if (registration !== null) {
        const { providerId, value } = registration.secret;
        context.secrets.learn(providerId, value);
      }
    }
  }

  // `--on-url` runs alongside the capture: a slow script must not delay events or a Ctrl-C.
  let onUrl: { done: Promise<void>; stop(): void } | null = null;
  if (plan.flags.onUrl !== undefined) {
    if (publicUrl === null) notify({ type: "warning", message: "--on-url: there is no public URL (no tunnel); not run" });
    else onUrl = await runHook("--on-url", plan.flags.onUrl, publicUrl, ON_URL_TIMEOUT_MS, context);
  }
  // `--on-exit` undoes what `--on-url` did: with no public URL there was nothing to undo.
  const runsOnExit = plan.flags.onExit !== undefined && publicUrl !== null;
  if (plan.flags.onExit !== undefined && !runsOnExit) {
    notify({ type: "warning", message: "--on-exit: there is no public URL (no tunnel); it will not run at exit" });
  }

  let stopped: Promise<void> | null = null;
  return {
    tunnelDown: async () => {
      if (registration === null) return;
      output.info(`The public URL is gone with the tunnel; deleting the ${registration.provider} endpoint ${registration.endpoint}`);
      await registration.remove();
    },
    stop: () =>
      (stopped ??= (async () => {
        onUrl?.stop();
        await onUrl?.done;
        if (registration !== null) await registration.remove();
        if (runsOnExit && plan.flags.onExit !== undefined) await (await runHook("--on-exit", plan.flags.onExit, publicUrl, ON_EXIT_TIMEOUT_MS, context)).done;
      })()),
  };
}

async function runHook(
  flag: string,
  command: string,
  publicUrl: string | null,
  timeoutMs: number,
  context: { output: Output; env: NodeJS.ProcessEnv },
): Promise<{ done: Promise<void>; stop(): void }> {
  const { runShellHook } = await import("../../register/shell-hook.js");
  const running = runShellHook(command, { publicUrl, env: context.env, timeoutMs });
  let stopped = false;
  const done = running.done.then((result) => {
    if (result.error !== null) renderNotice(context.output, { type: "warning", message: `${flag} could not run: ${result.error}` });
    else if (result.timedOut) renderNotice(context.output, { type: "warning", message: `${flag} was stopped after ${timeoutMs / 1000} s` });
    else if (result.code !== 0 && !stopped) renderNotice(context.output, { type: "warning", message: `${flag} exited with code ${result.code}` });
  });
  return {
    done,
    stop: () => {
      stopped = true;
      running.stop();
    },
  };
}

function renderNotice(output: Output, notice: RegistrationNotice): void {
  if (notice.type === "info") {
    output.info(notice.message);
    return;
  }
  if (output.json) {
    output.line(JSON.stringify(notice));
    return;
  }
  if (notice.type === "warning") output.warn(notice.message);
  else if (notice.type === "registered") {
    output.line(`Registered ${notice.provider} webhook ${notice.endpoint} → ${output.color.cyan(notice.url)} ${output.color.dim("(deleted when hooktape stops)")}`);
  } else output.info(`Deleted the ${notice.provider} endpoint ${notice.endpoint}`);
}
