import { setFlagsFromString } from "node:v8";

let set: "baseline" | "when-hot" | null = null;

/**
 * Has V8 compile WebAssembly with its baseline compiler only, from now on in this process. undici parses HTTP with a
 * WebAssembly module (llhttp); V8's optimising compiler spent 150-250 ms of CPU on it in the background, and a command
 * that sends a few requests and exits (replay, send, trigger, check, the relay's client commands) waited for that work
 * before it could exit. Those commands call this when they load. Commands that send nothing never call it: changing a
 * V8 flag costs the modules loaded after it their code cache.
 */
export function compileWasmWithBaselineOnly(): void {
  if (set !== null) return;
  setFlagsFromString("--liftoff-only");
  set = "baseline";
}

/**
 * The optimising compiler's budget for long-running commands (listen, ui), in V8's rough "bytes executed" per
 * function: 20 M, eleven times V8's default. llhttp's functions spend the default budget within the first request
 * they parse, so a listen that forwarded one event spent ~180 ms of CPU optimising code it might never run again.
 * With this budget only a steady stream of requests (a capture under load) has its hot functions optimised, which
 * serves ~7% more requests at saturation than the baseline compiler's code.
 */
const OPTIMISE_AFTER = 20_000_000;

/** Has V8 optimise a WebAssembly function only once it has run a lot: see OPTIMISE_AFTER. */
export function optimiseWasmOnlyWhenHot(): void {
  if (set !== null) return;
  setFlagsFromString(`--wasm-tiering-budget=${OPTIMISE_AFTER}`);
  set = "when-hot";
}
