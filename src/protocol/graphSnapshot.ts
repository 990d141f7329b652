/**
 * The graph snapshot: the one message that carries the backward graph from the debug
 * adapter to the extension and from the extension to the graph webview.
 * Defined here once; the adapter builds it (from the engine's raw dump plus variable
 * names and TS source locations), the webview only reads it. Between the adapter and the
 * extension it travels in the compact form of compactSnapshot.ts (decodeGraphSnapshot).
 *
 * Edge direction follows the gradient: `from` hands gradient to `to`
 * (output tensor -> its gradFn -> next functions -> AccumulateGrad -> leaf tensor).
 */

/** 1-based line and column in the user's TypeScript source. */
export interface SourceLocation {
  path: string;
  line: number;
  column: number;
}

export interface GradSummary {
  norm: number;
  min: number;
  max: number;
  mean: number;
  hasNaN: boolean;
  hasInf: boolean;
}

/**
 * How a tensor takes part in autograd; drives the colour language (torchviz):
 * - parameter / leaf: leaf that requires grad (light blue)
 * - frozen: leaf parameter with requiresGrad = false
 * - output: a root the graph was taken from (green)
 * - saved: saved for backward by a function (orange)
 * - intermediate: a non-leaf tensor the user holds a name for
 * - constant: a leaf that does not require grad
 */
export type TensorRole = "parameter" | "leaf" | "frozen" | "output" | "saved" | "intermediate" | "constant";

export interface TensorNode {
  kind: "tensor";
  id: string;
  /** The user's variable name where the adapter knows it, else "tensor". */
  name: string;
  role: TensorRole;
  shape: number[];
  dtype: "float32" | "float64" | "int64" | "bool";
  requiresGrad: boolean;
  isLeaf: boolean;
  /** A short rendering of the values, e.g. "[0.1, -0.3, …]" or "mean 0.02". */
  dataSummary: string;
  grad: GradSummary | null;
  /** Dotted nn.Module path for parameters, e.g. "fc1.weight". */
  modulePath?: string;
  forwardLocation?: SourceLocation;
}

export interface FunctionNode {
  kind: "function";
  id: string;
  /** PyTorch's name: MulBackward0, AccumulateGrad, ... */
  name: string;
  /** Where the forward op that created this node ran, in the user's code. */
  forwardLocation?: SourceLocation;
  /** Dotted nn.Module path of the module whose forward created it, if any. */
  modulePath?: string;
  /** Set once backward reached this node during the current pass. */
  gradOutput?: GradSummary | null;
}

export type GraphNode = TensorNode | FunctionNode;

export interface GraphEdge {
  from: string;
  to: string;
  /** "next": gradient flow between functions/tensors; "saved": function saved this tensor. */
  kind: "next" | "saved";
  /** Which input of `to`'s parent op this edge feeds (PyTorch's nextFunctions index). */
  inputIndex?: number;
}

export interface BackwardPassState {
  active: boolean;
  /** Function node id being executed now, or null. */
  currentNodeId: string | null;
  doneNodeIds: string[];
  pendingNodeIds: string[];
}

export interface GraphSnapshot {
  version: 1;
  /** Increases each time the graph or the backward state changes. */
  generation: number;
  rootIds: string[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  backward: BackwardPassState;
  /** True when `limit` cut the graph; `totalNodes` says how large it was. */
  truncated: boolean;
  totalNodes: number;
}

/** Arguments of the custom DAP request `gradscope.graph`. */
export interface GraphRequestArguments {
  /** A tensor expression to root the graph at; default: every tensor in scope. */
  expression?: string;
  frameId?: number;
  /** Maximum number of nodes; default 5000. */
  limit?: number;
}

/** Body of the custom DAP event `gradscope.graphChanged`. */
export interface GraphChangedEventBody {
  generation: number;
  reason: "stopped" | "backwardStep" | "continued" | "terminated";
}

/** Its response body is a CompactGraphSnapshot (compactSnapshot.ts). */
export const GRAPH_REQUEST = "gradscope.graph";
export const GRAPH_CHANGED_EVENT = "gradscope.graphChanged";
