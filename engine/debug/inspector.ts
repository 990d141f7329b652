/**
 * The engine's inspection surface for debuggers, on globalThis[Symbol.for("gradscope.inspector")].
 * The adapter calls these with Runtime.callFunctionOn/returnByValue; everything returned is plain data.
 * Nothing here runs unless a debugger asks: recording and stepping are off until it turns them on.
 */
import { setBackwardObserver } from "../autograd/engine";
import { setDebuggerRecording } from "../autograd/tracking";
import { Tensor } from "../tensor";
import { onWarning, setWarningsPrinted } from "../warnings";
import { scopeEntries } from "./scopeEntries";
import { BackwardTracker } from "./backwardTracker";
import { describeTensor, gradHint, gradStats } from "./describe";
import { dumpGraph, type NamedTensor } from "./graphDump";
import { decodeGraph } from "./graphWire";
import { setGradWriteObserver } from "./gradWrites";
import { setErrorObserver, withoutErrorStops } from "./errorHook";
import { callerLocation } from "./location";
import { inputNames, liveFrame, namesFromScopes, recordedFrame } from "./nodeFrame";
import { WarningChannel } from "./warningChannel";
import { inspectorListening, nodeInspector } from "./nodeBuiltins";
import {
  DEBUGGER_CONFIG_KEY,
  DEBUGGER_REQUEST_CONSOLE_TAG,
  INSPECTOR_SYMBOL_KEY,
  type BackwardHistoryEntry,
  type BackwardNodeEvent,
  type DebuggerConfig,
  type EngineWarning,
  type GradscopeInspector,
  type GradWriteEvent,
  type ModuleInfo,
  type NodeStopDetails,
  type RawGraph,
  type RawGraphWire,
  type TensorInfo,
} from "./inspectTypes";

export const TENSOR_BRAND = Symbol.for("gradscope.tensor");
export const MODULE_BRAND = Symbol.for("gradscope.module");
const PARAMETER_BRAND = Symbol.for("gradscope.parameter");

interface ModuleLike {
  namedParameters(): Array<[string, Tensor]>;
  training?: boolean;
  constructor: { name: string };
}

function isTensorValue(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TENSOR_BRAND] === true;
}

function isModuleValue(value: unknown): value is ModuleLike {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MODULE_BRAND] === true;
}

function isParameter(t: Tensor): boolean {
  return (t as unknown as Record<symbol, unknown>)[PARAMETER_BRAND] === true;
}

class Inspector implements GradscopeInspector {
  readonly protocolVersion = 1 as const;
  private readonly tracker = new BackwardTracker((event) => {
    this.awaitDebugger();
    this.onBackwardNode(event);
  });
  private readonly warnings: EngineWarning[] = [];
  private readonly warningChannel = new WarningChannel();
  private stopWarnings: (() => void) | null = null;
  private recording = false;
  private forwardLocations = true;
  private gradWrite: GradWriteEvent | null = null;
  private autogradErrors = false;
  private debuggerOn = true;
  /** Inside awaitDebugger's wait: the adapter repeats its release until this is false (its first may arrive early). */
  awaitingDebugger = false;
  private raisedError: Error | null = null;

  setRecording(on: boolean): void {
    this.recording = on;
    setDebuggerRecording(on && this.forwardLocations);
    this.updateObservers();
    if (on && !this.stopWarnings) {
      this.stopWarnings = onWarning((w) => {
        const warning: EngineWarning = { message: w.message, category: w.category, location: w.location };
        this.warnings.push(warning);
        if (this.warnings.length > 1000) this.warnings.shift();
        this.warningChannel.send(warning);
      });
      // The debugger shows each warning at its line; printing it too would say it twice.
      if (this.warningChannel.available) setWarningsPrinted(false);
    } else if (!on && this.stopWarnings) {
      this.stopWarnings();
      this.stopWarnings = null;
      setWarningsPrinted(true);
    }
  }

  setBackwardStepping(on: boolean): void {
    this.tracker.stepping = on;
    this.updateObservers();
  }

  configure(config: DebuggerConfig): void {
    if (config.stepping !== undefined) this.tracker.stepping = config.stepping;
    if (config.nanInf !== undefined) this.tracker.nanInf = config.nanInf;
    if (config.functionBreakpoints) this.tracker.setFunctionBreakpoints(config.functionBreakpoints);
    if (config.gradWatches) this.tracker.setGradWatches(config.gradWatches);
    if (config.autogradErrors !== undefined) this.autogradErrors = config.autogradErrors;
    if (config.debuggerOn !== undefined) this.debuggerOn = config.debuggerOn;
    if (config.forwardLocations !== undefined) this.forwardLocations = config.forwardLocations;
    this.setRecording(config.recording ?? this.recording);
  }

  /** The observers cost nothing when unset: install them only while something needs them. */
  private updateObservers(): void {
    setBackwardObserver(this.recording || !this.tracker.idle ? this.tracker : null);
    setGradWriteObserver(this.tracker.gradWatches.size > 0 ? (tensor) => this.gradWritten(tensor) : null);
    setErrorObserver(this.autogradErrors ? (error) => this.errorRaised(error) : null);
  }

  private errorRaised(error: Error): void {
    this.raisedError = error;
    try {
      this.awaitDebugger();
      this.onAutogradError(error);
    } finally {
      this.raisedError = null;
    }
  }

  /**
   * Before calling a hook (a backward-node stop, a watched gradient written, an autogradErrors
   * stop): the adapter's breakpoint there needs its Debugger domain, which it keeps off until
   * something asks (debuggerOn false). Ask over the inspector console and wait, the program
   * held, until it is on (the adapter then configures debuggerOn and lets the program go on).
   */
  private awaitDebugger(): void {
    if (this.debuggerOn) return;
    this.debuggerOn = true; // ask once: if the adapter does not answer, later stops don't wait
    if (!inspectorListening() || typeof nodeInspector?.console?.debug !== "function" || typeof nodeInspector.waitForDebugger !== "function") return;
    this.awaitingDebugger = true;
    try {
      nodeInspector.console.debug(DEBUGGER_REQUEST_CONSOLE_TAG);
      nodeInspector.waitForDebugger();
    } catch {
      // No inspector after all: no stop, the error goes on as without a debugger.
    } finally {
      this.awaitingDebugger = false;
    }
  }

  private gradWritten(tensor: Tensor): void {
    if (!this.tracker.gradWatches.has(tensor.id)) return;
    this.gradWrite = { tensorId: tensor.id, location: callerLocation() };
    try {
      this.awaitDebugger();
      this.onGradientWritten(this.gradWrite);
    } finally {
      this.gradWrite = null;
    }
  }

  /**
   * The debugger's breakpoint sits on the marker statement. The hook only returns it:
   * it must stay a function with a statement to break on, and do nothing.
   */
  onBackwardNode(_event: BackwardNodeEvent): string {
    return "gradscope:hook:backwardNode";
  }

  onGradientWritten(_event: GradWriteEvent): string {
    return "gradscope:hook:gradWritten";
  }

  onAutogradError(_error: Error): string {
    return "gradscope:hook:autogradError";
  }

  currentError(): Error | null {
    return this.raisedError;
  }

  currentStop(...scopes: unknown[]): NodeStopDetails | null {
    return withoutErrorStops(() => this.liveStop(scopes));
  }

  private liveStop(scopes: unknown[]): NodeStopDetails | null {
    const live = this.tracker.live;
    if (!live) return null;
    if (!live.node) return { event: live.event, inputNames: [] };
    const event = { ...live.event, forwardLocation: live.node.forwardLocation };
    return { event, inputNames: inputNames(live.node, namesFromScopes(scopes)) };
  }

  currentGradWrite(): GradWriteEvent | null {
    return this.gradWrite;
  }

  nodeFrame(step: number | null, ...scopes: unknown[]): Record<string, unknown> | null {
    return withoutErrorStops(() => this.frameOf(step, scopes));
  }

  private frameOf(step: number | null, scopes: unknown[]): Record<string, unknown> | null {
    const names = namesFromScopes(scopes);
    const live = this.tracker.live;
    if (live?.node && (step === null || step === live.event.step)) return liveFrame(live.node, live.gradOutput, live.gradInputs, names);
    const recorded = step === null ? null : this.tracker.recordedAt(step);
    return recorded ? recordedFrame(recorded, names) : null;
  }

  history(): BackwardHistoryEntry[] {
    return this.tracker.history();
  }

  tensorId(value: unknown): number | null {
    return isTensorValue(value) ? value.id : null;
  }

  graphOfScopes(limit: number, ...scopes: unknown[]): string {
    const roots: Array<{ name: string; value: unknown }> = [];
    const seen = new Set<unknown>();
    for (const [name, value] of scopeEntries(scopes)) {
      if (seen.has(value) || !(isTensorValue(value) || isModuleValue(value))) continue;
      seen.add(value);
      roots.push({ name, value });
    }
    // JSON text: one string crosses the wire far faster than a 20,000-object value tree.
    return JSON.stringify(this.graphWire(roots, limit));
  }

  isTensor(value: unknown): boolean {
    return isTensorValue(value);
  }

  isModule(value: unknown): boolean {
    return isModuleValue(value);
  }

  tensorInfo(value: unknown): TensorInfo | null {
    if (!isTensorValue(value)) return null;
    const t = value;
    return {
      description: describeTensor(t),
      id: t.id,
      shape: [...t.shape],
      dtype: t.dtype,
      numel: t.numel(),
      requiresGrad: t.requiresGrad,
      isLeaf: t.isLeaf,
      retainsGrad: t._retainsGrad,
      grad: t._grad ? gradStats(t._grad) : null,
      gradHint: gradHint(t),
      gradFnName: t._gradFn ? t._gradFn.name() : null,
      version: t._version.value,
      isParameter: isParameter(t),
    };
  }

  moduleInfo(value: unknown): ModuleInfo | null {
    if (!isModuleValue(value)) return null;
    const parameters = value.namedParameters().map(([name, p]) => ({
      name,
      shape: [...p.shape],
      requiresGrad: p.requiresGrad,
      frozen: !p.requiresGrad,
      hasGrad: p._grad !== null,
      description: describeTensor(p) + (p.requiresGrad ? "" : " · frozen"),
    }));
    const frozen = parameters.filter((p) => p.frozen).length;
    const count = parameters.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
    return {
      description: `${value.constructor.name} · ${count.toLocaleString("en-US")} params · ${frozen} of ${parameters.length} tensors frozen`,
      className: value.constructor.name,
      parameters,
      training: value.training ?? true,
    };
  }

  tensorData(value: unknown, start: number, count: number): number[] {
    if (!isTensorValue(value)) return [];
    const n = value.numel();
    const from = Math.max(0, Math.min(start, n));
    const to = Math.max(from, Math.min(from + count, n));
    // Read only the requested page: a 10-million-element tensor must page instantly.
    const flat = value._contiguous ? value : value.contiguous();
    return Array.from(flat._storage.subarray(flat._offset + from, flat._offset + to));
  }

  graph(roots: Array<{ name: string; value: unknown }>, limit: number): RawGraph {
    return decodeGraph(this.graphWire(roots, limit));
  }

  private graphWire(roots: Array<{ name: string; value: unknown }>, limit: number): RawGraphWire {
    return withoutErrorStops(() => this.dumpRoots(roots, limit));
  }

  private dumpRoots(roots: Array<{ name: string; value: unknown }>, limit: number): RawGraphWire {
    const named: NamedTensor[] = [];
    for (const { name, value } of roots) {
      if (isTensorValue(value)) named.push({ name, tensor: value, modulePath: null, isParameter: isParameter(value) });
      else if (isModuleValue(value)) {
        for (const [path, p] of value.namedParameters()) {
          named.push({ name: `${name}.${path}`, tensor: p, modulePath: path, isParameter: true });
        }
      }
    }
    return dumpGraph(named, limit, this.tracker);
  }

  backwardState() {
    return this.tracker.state();
  }

  takeWarnings(): EngineWarning[] {
    return this.warnings.splice(0, this.warnings.length);
  }
}

/** Installed once per process; a second copy of the engine keeps the first surface. */
export function installInspector(): GradscopeInspector {
  const key = Symbol.for(INSPECTOR_SYMBOL_KEY);
  const global = globalThis as unknown as Record<symbol, GradscopeInspector | undefined>;
  const existing = global[key];
  if (existing) return existing;
  const inspector = new Inspector();
  global[key] = inspector;
  // Set by the debug adapter before the program's first line: recording starts before the first op.
  const config = (globalThis as unknown as Record<symbol, DebuggerConfig | undefined>)[Symbol.for(DEBUGGER_CONFIG_KEY)];
  if (config && typeof config === "object") inspector.configure(config);
  return inspector;
}

Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true });
