// Loads the four contenders. Each loader returns the library or null with a reason, so a
// missing engine build (or a library that cannot load) shows up in the table instead of
// aborting the run.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../../..");
/** GRADSCOPE_ENGINE=/path/to/engine.cjs benchmarks another build (e.g. to compare two). */
export const engineBundle = process.env.GRADSCOPE_ENGINE ? resolve(process.env.GRADSCOPE_ENGINE) : resolve(repoRoot, "dist/engine.cjs");
const require = createRequire(import.meta.url);

/** The built Gradscope engine (dist/engine.cjs from `npm run build`). */
export function loadGradscope() {
  if (!existsSync(engineBundle)) return { lib: null, reason: `not built (${engineBundle} missing: run npm run build)` };
  try {
    return { lib: require(engineBundle) };
  } catch (error) {
    return { lib: null, reason: `failed to load: ${error.message.split("\n")[0]}` };
  }
}

/** @tensorflow/tfjs on its pure-JS CPU backend. */
export async function loadTfjs() {
  try {
    const tf = await import("@tensorflow/tfjs");
    await tf.setBackend("cpu");
    await tf.ready();
    // The CPU backend prints a hint to install tfjs-node on its first write; not wanted here.
    tf.backend().firstUse = false;
    if (tf.getBackend() !== "cpu") throw new Error(`backend is ${tf.getBackend()}`);
    return { lib: tf };
  } catch (error) {
    return { lib: null, reason: `failed to load: ${error.message.split("\n")[0]}` };
  }
}

/** js-pytorch (nested-array tensors, CPU). */
export async function loadJsPytorch() {
  try {
    const mod = await import("js-pytorch");
    return { lib: mod.torch ?? mod.default ?? mod };
  } catch (error) {
    return { lib: null, reason: `failed to load: ${error.message.split("\n")[0]}` };
  }
}

/** Calls a module the way the library expects: a callable, or `.forward(...)`. */
export function call(module, ...args) {
  return typeof module === "function" ? module(...args) : module.forward(...args);
}
