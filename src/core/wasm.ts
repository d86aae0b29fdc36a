import { setFlagsFromString } from 'node:v8';

/**
 * V8 compiles WebAssembly with its baseline compiler, then recompiles hot functions with its optimising tier
 * in the background, and a process waits for those compilations before it can exit. For the wasm this tool
 * runs (undici's HTTP parser, the bash grammar's lexer) that tier-up is pure cost in a short-lived process:
 * 140 ms of waiting at the end of every verification, a second of CPU for a large lint. Must run before the
 * module is compiled; it applies to the whole process.
 */
export function baselineWasmOnly(): void {
  setFlagsFromString('--liftoff-only');
}
