/**
 * Functions the backward controller and the graph service run in the debuggee. Each goes
 * through the engine's inspection surface only and never throws into the program.
 */
import type { Protocol } from "devtools-protocol";
import { DEBUGGER_CONFIG_KEY, INSPECTOR_SYMBOL_KEY } from "../../../engine/debug/inspectTypes";
import type { DebuggeeRuntime } from "../runtime/debuggeeRuntime";

const INSPECTOR = `globalThis[Symbol.for(${JSON.stringify(INSPECTOR_SYMBOL_KEY)})]`;
const CONFIG = `globalThis[Symbol.for(${JSON.stringify(DEBUGGER_CONFIG_KEY)})]`;

/**
 * An expression that merges `config` into the pending configuration (read by an engine that
 * has not loaded yet) and applies it to a loaded engine.
 */
export function configureExpression(config: object): string {
  return `(() => {
  const config = ${JSON.stringify(config)};
  ${CONFIG} = Object.assign(${CONFIG} || {}, config);
  const inspector = ${INSPECTOR};
  if (inspector && typeof inspector.configure === "function") inspector.configure(config);
})()`;
}

/** (...scopes) -> NodeStopDetails | null, by value. */
export const CURRENT_STOP = `function (...scopes) {
  const inspector = ${INSPECTOR};
  return inspector ? inspector.currentStop(...scopes) : null;
}`;

/** () -> GradWriteEvent | null, by value. */
export const CURRENT_GRAD_WRITE = `function () {
  const inspector = ${INSPECTOR};
  return inspector ? inspector.currentGradWrite() : null;
}`;

/** () -> the engine error being raised (inside the autogradError hook), by reference. */
export const CURRENT_ERROR = `function () {
  const inspector = ${INSPECTOR};
  return inspector ? inspector.currentError() : null;
}`;

/** An expression: the engine is waiting for the Debugger domain before one of its hook calls (see Inspector.awaitingDebugger). */
export const ENGINE_AWAITS_DEBUGGER = `Boolean(${INSPECTOR} && ${INSPECTOR}.awaitingDebugger)`;

/** (step | null, ...scopes) -> the node's frame object, by reference. */
export const NODE_FRAME = `function (step, ...scopes) {
  const inspector = ${INSPECTOR};
  return inspector ? inspector.nodeFrame(step, ...scopes) : null;
}`;

/** this = any value -> its tensor id or null, by value. */
export const TENSOR_ID = `function () {
  const inspector = ${INSPECTOR};
  return inspector ? inspector.tensorId(this) : null;
}`;

/** (limit, ...scopes) -> JSON text of a RawGraph (or null without an engine). */
export const GRAPH_OF_SCOPES = `function (limit, ...scopes) {
  const inspector = ${INSPECTOR};
  return inspector ? inspector.graphOfScopes(limit, ...scopes) : null;
}`;

/** this = a value, (limit, name) -> JSON text of the graph rooted at it. */
export const GRAPH_OF_VALUE = `function (limit, name) {
  const inspector = ${INSPECTOR};
  if (!inspector) return null;
  const scope = {};
  scope[name] = this;
  return inspector.graphOfScopes(limit, scope);
}`;

/** () -> RawBackwardState or null, by value (graph requests while the program runs). */
export const BACKWARD_STATE = `function () {
  const inspector = ${INSPECTOR};
  return inspector ? inspector.backwardState() : null;
}`;

/**
 * A V8 frame's scope objects (not the global one) as call arguments: the engine names tensors
 * and modules after the properties of these objects, i.e. the user's variables.
 */
export function scopeArguments(frame: Protocol.Debugger.CallFrame | undefined): Protocol.Runtime.CallArgument[] {
  if (!frame) return [];
  return frame.scopeChain.filter((s) => s.type !== "global" && s.object.objectId).map((s) => ({ objectId: s.object.objectId! }));
}

/**
 * Calls one of these functions in the debuggee's main context and answers its result by value;
 * undefined without a debuggee or when the function threw. Rejects when CDP does (the debuggee
 * is gone, or a frame's scope objects are gone since it resumed).
 */
export async function callByValue<T>(runtime: DebuggeeRuntime, functionDeclaration: string, args: Protocol.Runtime.CallArgument[] = []): Promise<T | undefined> {
  const cdp = runtime.cdp;
  if (!cdp) return undefined;
  const response = await cdp.send("Runtime.callFunctionOn", {
    functionDeclaration,
    executionContextId: runtime.executionContextId,
    arguments: args,
    returnByValue: true,
    silent: true,
  });
  return response.exceptionDetails ? undefined : (response.result.value as T);
}

/**
 * Calls one of these functions in the debuggee's main context and answers its result by
 * reference in `objectGroup`, released first (the group holds the latest result only);
 * undefined without a debuggee, when the function threw, or when CDP failed.
 */
export async function callInGroup(
  runtime: DebuggeeRuntime,
  functionDeclaration: string,
  objectGroup: string,
  args: Protocol.Runtime.CallArgument[] = [],
): Promise<Protocol.Runtime.RemoteObject | undefined> {
  const cdp = runtime.cdp;
  if (!cdp || cdp.isClosed) return undefined;
  // Not awaited: CDP handles messages in order, so the release lands before the new result.
  void cdp.send("Runtime.releaseObjectGroup", { objectGroup }).catch(() => undefined);
  const response = await cdp
    .send("Runtime.callFunctionOn", { functionDeclaration, executionContextId: runtime.executionContextId, arguments: args, objectGroup, silent: true })
    .catch(() => undefined);
  return response && !response.exceptionDetails ? response.result : undefined;
}
