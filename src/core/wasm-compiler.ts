import { setFlagsFromString } from "node:v8";

let set = false;

/**
 * Has V8 compile WebAssembly with its baseline compiler only, from now on in this process. undici parses HTTP with a
 * WebAssembly module (llhttp); V8's optimising compiler spent 150-250 ms of CPU on it in the background, and a command
 * that sends a few requests and exits (replay, send, trigger, check, the relay's client commands) waited for that work
 * before it could exit. Those commands call this when they load. listen and ui, which run for hours, keep the
 * optimising compiler: capture at saturation served ~7% more requests with its code. Commands that send nothing never
 * call it: changing a V8 flag costs the modules loaded after it their code cache.
 */
export function compileWasmWithBaselineOnly(): void {
  if (set) return;
  setFlagsFromString("--liftoff-only");
  set = true;
}
