/**
 * Types of the engine's inspection surface: what the debug adapter reads from a debuggee
 * with Runtime.evaluate / callFunctionOn (returnByValue). The surface object sits on
 * globalThis[Symbol.for("gradscope.inspector")]. The adapter imports these types only.
 *
 * All locations are as V8 reports them in the running (transpiled) code's stack traces;
 * when the debuggee runs with --enable-source-maps they are already the user's TS file.
 */

export const INSPECTOR_SYMBOL_KEY = "gradscope.inspector";

export interface RawLocation {
  /** File path or URL as it appears in stack traces. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface RawGradSummary {
  norm: number;
  min: number;
  max: number;
  mean: number;
  hasNaN: boolean;
  hasInf: boolean;
}

export interface TensorInfo {
  /** `Tensor[2, 3] float32 · leaf · requiresGrad · grad ∅` */
  description: string;
  id: number;
  shape: number[];
  dtype: "float32" | "float64" | "int64" | "bool";
  numel: number;
  requiresGrad: boolean;
  isLeaf: boolean;
  retainsGrad: boolean;
  /** null when the tensor has no grad. */
  grad: RawGradSummary | null;
  /** Why grad is empty and what to do, when it is empty. */
  gradHint: string | null;
  gradFnName: string | null;
  version: number;
  isParameter: boolean;
}

export interface ModuleParameterInfo {
  name: string;
  shape: number[];
  requiresGrad: boolean;
  frozen: boolean;
  hasGrad: boolean;
  description: string;
}

export interface ModuleInfo {
  description: string;
  className: string;
  parameters: ModuleParameterInfo[];
  training: boolean;
}

export interface RawFunctionNode {
  kind: "function";
  id: string;
  name: string;
  forwardLocation: RawLocation | null;
  modulePath: string | null;
  /** While a pass is in progress: the gradient that reached this node (absent before it ran). */
  gradOutput?: RawGradSummary;
}

export interface RawTensorNode {
  kind: "tensor";
  id: string;
  /** Name given by the caller of snapshot() for roots, else null. */
  name: string | null;
  role: "parameter" | "leaf" | "frozen" | "output" | "saved" | "intermediate" | "constant";
  shape: number[];
  dtype: "float32" | "float64" | "int64" | "bool";
  requiresGrad: boolean;
  isLeaf: boolean;
  dataSummary: string;
  grad: RawGradSummary | null;
  modulePath: string | null;
}

export interface RawGraphEdge {
  from: string;
  to: string;
  kind: "next" | "saved";
  inputIndex?: number;
}

export interface RawBackwardState {
  active: boolean;
  currentNodeId: string | null;
  doneNodeIds: string[];
  pendingNodeIds: string[];
}

/** The backward state outside a pass (shared: read only). */
export const NO_BACKWARD_PASS: RawBackwardState = { active: false, currentNodeId: null, doneNodeIds: [], pendingNodeIds: [] };

export interface RawGraph {
  rootIds: string[];
  nodes: Array<RawFunctionNode | RawTensorNode>;
  edges: RawGraphEdge[];
  backward: RawBackwardState;
  truncated: boolean;
  totalNodes: number;
}

/**
 * graphOfScopes' answer: a RawGraph in a compact form for the wire (as plain JSON a
 * 20,000-node graph is ~4 MB, mostly the same forward location repeated). The engine writes
 * it directly (graphDump.ts: no per-node objects or string ids); the adapter passes its rows
 * on as they are in the `gradscope.graph` response (src/debug/graph/snapshotMapper.ts; the
 * protocol's CompactGraphSnapshot lays its rows out alike), and `graph()` decodes it (graphWire.ts).
 */
export interface RawGraphWire {
  format: "gradscope.graphWire/2";
  rootIds: string[];
  truncated: boolean;
  totalNodes: number;
  backward: RawBackwardState;
  /** Function names and module paths. */
  strings: string[];
  locations: RawLocation[];
  /** The tensor nodes, in the order `nodes` refers to them. */
  tensors: RawTensorNode[];
  /**
   * 4 numbers per node, in order: a function node `f<n>` as n (> 0), name index, location index
   * or -1, module path index or -1; a tensor node as -1 - its index in `tensors`, -1, -1, -1.
   */
  nodes: number[];
  /** During a pass: [n, gradOutput summary] for function nodes `f<n>` that received one. */
  gradOutputs: Array<[number, RawGradSummary]>;
  /**
   * 4 numbers per edge: from, to (function `f<n>` as n, tensor `t<n>` as -n), kind (0 next,
   * 1 saved), input index (-1 for none).
   */
  edges: number[];
}

/**
 * Why the engine called the backward hook:
 * - step: the debugger is stepping through the pass node by node
 * - functionBreakpoint: a node of a type named by a function breakpoint ran
 * - nanInf: this node was the first of the pass to produce a NaN or an infinity
 * - gradWritten: this node wrote the gradient of a watched tensor (data breakpoint)
 * - passEnded: the pass being stepped finished (the debugger then steps out to the caller)
 */
export type BackwardStopReason = "step" | "functionBreakpoint" | "nanInf" | "gradWritten" | "passEnded";

/** The first non-finite value of a pass: which of the node's gradInputs, and which element. */
export interface NonFiniteFinding {
  inputIndex: number;
  /** Row-major index into that gradient, and the same as a multi-index. */
  flatIndex: number;
  index: number[];
  value: "NaN" | "Infinity" | "-Infinity";
}

/**
 * Passed to the per-node backward hook (the function the adapter breaks in). The hook runs
 * after the node has computed its gradInputs, so a stop can show what it sends on.
 */
export interface BackwardNodeEvent {
  nodeId: string;
  name: string;
  /** Filled in by currentStop() (null in the hook's own argument, to keep unwatched stops cheap). */
  forwardLocation: RawLocation | null;
  /** Index of this node in the current pass's execution order, from 0. */
  step: number;
  reason: BackwardStopReason;
  /** Counts passes since the process started, so the adapter can tell one pass's history from the next. */
  pass: number;
  nonFinite?: NonFiniteFinding;
  /** For gradWritten: the tensor whose .grad was written. */
  watchedTensorId?: number;
}

/** Passed to the gradient-write hook when user code assigns a watched tensor's `.grad`. */
export interface GradWriteEvent {
  tensorId: number;
  /** Where the user's code assigned it. */
  location: RawLocation | null;
}

/** A recorded stop of the current pass (for step back), oldest first. */
export interface BackwardHistoryEntry {
  step: number;
  nodeId: string;
  name: string;
  reason: BackwardStopReason;
  forwardLocation: RawLocation | null;
}

/** Names for a node's inputs, as the stop presents them. */
export interface NodeStopDetails {
  event: BackwardNodeEvent;
  /** One name per input of the node (the user's variable name where known, else input0, input1 …). */
  inputNames: string[];
}

/**
 * What the debugger asks the engine to do. Pushed with `configure`, and read once when the
 * engine loads from globalThis[Symbol.for(DEBUGGER_CONFIG_KEY)] (the adapter sets it before
 * the program's first line, so recording is on before the first op).
 */
export interface DebuggerConfig {
  recording?: boolean;
  /**
   * While recording: capture each op's forward stack, for its node's forward line (default
   * true). The adapter leaves it off until the user could look at a node (see
   * src/debug/backward/backwardController.ts): capturing costs a few µs per op.
   */
  forwardLocations?: boolean;
  stepping?: boolean;
  /** Node type names (MulBackward0, AccumulateGrad …) to stop at during backward. */
  functionBreakpoints?: string[];
  /** Stop at the first node of a pass whose gradInputs contain NaN or ±Infinity. */
  nanInf?: boolean;
  /** Tensor ids whose `.grad` writes stop (data breakpoints). */
  gradWatches?: number[];
  /** Stop where the engine raises a RuntimeError, ValueError or IndexError (the `autogradErrors` filter). */
  autogradErrors?: boolean;
  /**
   * Whether the debugger's V8 Debugger domain is on (default true). The adapter turns it on only
   * when something needs it (a breakpoint, a pause; see src/debug/runtime/debuggeeRuntime.ts):
   * until then, before calling one of its hooks (a backward-node, gradient-write or
   * autogradErrors stop) the engine asks for it over the inspector console
   * (DEBUGGER_REQUEST_CONSOLE_TAG) and waits until the adapter has it on.
   */
  debuggerOn?: boolean;
}

export const DEBUGGER_CONFIG_KEY = "gradscope.debuggerConfig";

/**
 * String literals in the bodies of the hook functions. The adapter finds them in the engine
 * bundle's text to set its breakpoints by URL before the program runs (minification keeps them).
 */
export const BACKWARD_HOOK_MARKER = "gradscope:hook:backwardNode";
export const GRAD_WRITE_HOOK_MARKER = "gradscope:hook:gradWritten";
export const AUTOGRAD_ERROR_HOOK_MARKER = "gradscope:hook:autogradError";

/** Engine warnings sent to the debugger over the inspector console (never printed) carry this tag. */
export const WARNING_CONSOLE_TAG = "gradscope:warning";
/** Sent over the inspector console before a hook call (a stop) while `debuggerOn` is false. */
export const DEBUGGER_REQUEST_CONSOLE_TAG = "gradscope:needsDebugger";
/** Set on globalThis (Symbol.for) by the debuggee's bootstrap once the adapter has let the program run. */
export const RELEASED_SYMBOL_KEY = "gradscope.released";

export interface EngineWarning {
  message: string;
  category: "UserWarning";
  location: RawLocation | null;
}

export interface GradscopeInspector {
  readonly protocolVersion: 1;
  /**
   * Turn on the recording the debugger needs: forward source location of each op and
   * backward progress. Off by default so a program without a debugger pays nothing.
   */
  setRecording(on: boolean): void;
  /** While true, the engine calls `onBackwardNode` before running each backward node. */
  setBackwardStepping(on: boolean): void;
  /** The no-op hook the adapter sets a breakpoint in. */
  onBackwardNode(event: BackwardNodeEvent): void;
  /** The no-op hook for user writes of a watched tensor's `.grad` (data breakpoints). */
  onGradientWritten(event: GradWriteEvent): void;
  /** Applies the fields given; the others keep their values. */
  configure(config: DebuggerConfig): void;
  /** While the engine is inside the backward hook: the stop, with the inputs named from `scopes`. */
  currentStop(...scopes: unknown[]): NodeStopDetails | null;
  /** While inside the gradient-write hook: what was written. */
  currentGradWrite(): GradWriteEvent | null;
  /** The no-op hook for an engine error being raised while `autogradErrors` is configured. */
  onAutogradError(error: Error): void;
  /** While inside that hook: the error (the adapter takes it by reference). */
  currentError(): Error | null;
  /**
   * The variables of a stopped node as one plain object (gradOutput, gradInputs, the inputs by
   * name with their grad, saved): live for the current stop, or as recorded for an earlier
   * `step` of the pass. Names come from the tensors and modules in `scopes`.
   */
  nodeFrame(step: number | null, ...scopes: unknown[]): Record<string, unknown> | null;
  /** The stops recorded in the current pass, oldest first. */
  history(): BackwardHistoryEntry[];
  /** A data breakpoint target: the tensor's id, or null for anything else. */
  tensorId(value: unknown): number | null;
  /** The graph from every tensor and module in `scopes` (name = property name); JSON text of a RawGraphWire. */
  graphOfScopes(limit: number, ...scopes: unknown[]): string;
  isTensor(value: unknown): boolean;
  isModule(value: unknown): boolean;
  tensorInfo(value: unknown): TensorInfo | null;
  moduleInfo(value: unknown): ModuleInfo | null;
  /** Flat row-major values [start, start + count) as plain numbers. */
  tensorData(value: unknown, start: number, count: number): number[];
  /** The backward graph reachable from `roots` (name -> tensor), at most `limit` nodes. */
  graph(roots: Array<{ name: string; value: unknown }>, limit: number): RawGraph;
  backwardState(): RawBackwardState;
  /** Warnings emitted since the last call (drained). */
  takeWarnings(): EngineWarning[];
}
