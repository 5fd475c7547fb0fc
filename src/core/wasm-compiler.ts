import { setFlagsFromString } from "node:v8";

let set = false;

/**
 * Has V8 compile WebAssembly with its baseline compiler only, from now on in this process. undici parses HTTP with a
 * WebAssembly module (llhttp); V8's optimising compiler spent 150-250 ms of CPU on it in the background, and a short
 * run (a replay, a send) waited for that work before it could exit. The baseline code parses a response in
 * microseconds all the same. Called by the modules that load undici, before its first request: changing a V8 flag
 * costs the modules loaded after it their code cache, so commands that send nothing never call it.
 */
export function compileWasmWithBaselineOnly(): void {
  if (set) return;
  setFlagsFromString("--liftoff-only");
  set = true;
}
