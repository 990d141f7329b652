/**
 * Functions the adapter runs inside the debuggee with Runtime.callFunctionOn. Each one
 * goes through the engine's inspection surface (globalThis[Symbol.for("gradscope.inspector")])
 * or public tensor API only — never private fields — and never throws into the program.
 */
import { INSPECTOR_SYMBOL_KEY } from "../../../engine/debug/inspectTypes";
import type { ModuleInfo, TensorInfo } from "../../../engine/debug/inspectTypes";

const INSPECTOR = `globalThis[Symbol.for(${JSON.stringify(INSPECTOR_SYMBOL_KEY)})]`;

export type Classification = { kind: "tensor"; info: TensorInfo } | { kind: "module"; info: ModuleInfo } | null;

/** (...values) -> Classification[] (or null without an engine), by value. */
export const CLASSIFY_VALUES = `function (...values) {
  const inspector = ${INSPECTOR};
  if (!inspector) return null;
  return values.map((value) => {
    try {
      if (inspector.isTensor(value)) return { kind: "tensor", info: inspector.tensorInfo(value) };
      if (inspector.isModule(value)) return { kind: "module", info: inspector.moduleInfo(value) };
    } catch (error) {}
    return null;
  });
}`;

/** this = tensor; (start, count) -> number[] by value. */
export const TENSOR_DATA_PAGE = `function (start, count) {
  return ${INSPECTOR}.tensorData(this, start, count);
}`;

/** this = tensor -> its grad tensor (by reference). Only called when the grad exists. */
export const TENSOR_GRAD = `function () { return this.grad; }`;

/** this = tensor -> its gradFn node (by reference). */
export const TENSOR_GRAD_FN = `function () { return this.gradFn; }`;

/** this = gradFn node -> { name, next: (name | null)[] } by value. */
export const GRAD_FN_SUMMARY = `function () {
  const nameOf = (fn) => fn == null ? null : (typeof fn.name === "function" ? fn.name() : String(fn.name));
  const next = Array.from(this.nextFunctions ?? [], (entry) => Array.isArray(entry) ? entry[0] : entry);
  return { name: nameOf(this), next: next.map(nameOf) };
}`;

/** this = gradFn node -> array of next function nodes (by reference; null entries kept). */
export const GRAD_FN_NEXT = `function () {
  return Array.from(this.nextFunctions ?? [], (entry) => Array.isArray(entry) ? entry[0] : entry);
}`;

/** this = nn.Module -> { qualifiedName: parameter } (by reference), via namedParameters(). */
export const MODULE_PARAMETERS = `function () {
  const out = {};
  for (const entry of this.namedParameters()) {
    if (Array.isArray(entry)) out[entry[0]] = entry[1];
    else if (entry && typeof entry === "object") out[entry.name] = entry.value ?? entry.parameter ?? entry.tensor;
  }
  return out;
}`;

/** this = object; (name, value) -> assigns a property (setVariable on object members). */
export const ASSIGN_PROPERTY = `function (name, value) { this[name] = value; return this[name]; }`;

/** this = object -> names along its prototype chain (debug console completions), by value. */
export const PROPERTY_NAMES = `function () {
  const names = new Set();
  for (let o = this; o != null && names.size < 2000; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) names.add(name);
  }
  return [...names].filter((n) => /^[A-Za-z_$][\\w$]*$/.test(n));
}`;
