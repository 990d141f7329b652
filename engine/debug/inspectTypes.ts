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

export interface RawGraph {
  rootIds: string[];
  nodes: Array<RawFunctionNode | RawTensorNode>;
  edges: RawGraphEdge[];
  backward: RawBackwardState;
  truncated: boolean;
  totalNodes: number;
}

/** Passed to the per-node backward hook (the function the adapter breaks in). */
export interface BackwardNodeEvent {
  nodeId: string;
  name: string;
  forwardLocation: RawLocation | null;
  /** Index of this node in the current pass's execution order, from 0. */
  step: number;
}

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
