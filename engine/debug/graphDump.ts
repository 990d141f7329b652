/**
 * The backward graph reachable from some named tensors (and modules), as plain data for the
 * debugger: tensors, backward functions, and edges in the direction gradients flow.
 */
import type { RawFunctionNode, RawGraph, RawGraphEdge, RawTensorNode } from "./inspectTypes";
import type { Node } from "../autograd/node";
import { AccumulateGrad } from "../autograd/accumulateGrad";
import { OpNode } from "../autograd/node";
import type { Tensor } from "../tensor";
import { formatNumber, gradStats } from "./describe";
import type { BackwardTracker } from "./backwardTracker";

export interface NamedTensor {
  name: string;
  tensor: Tensor;
  modulePath: string | null;
  isParameter: boolean;
}

export function functionId(node: Node): string {
  return `f${node.nodeId}`;
}

export function tensorId(t: Tensor): string {
  return `t${t.id}`;
}

function dataSummary(t: Tensor): string {
  const n = t.numel();
  if (n === 0) return "[]";
  // Read the storage in place: copying every tensor's values would dominate a large graph.
  const flat = t._contiguous ? t : t.contiguous();
  const values = flat._storage;
  const start = flat._offset;
  if (n <= 4) return `[${Array.from(values.subarray(start, start + n), formatNumber).join(", ")}]`;
  let sum = 0;
  for (let i = start; i < start + n; i++) sum += values[i]!;
  return `mean ${formatNumber(sum / n)}`;
}

function tensorNode(t: Tensor, name: string | null, role: RawTensorNode["role"], modulePath: string | null): RawTensorNode {
  return {
    kind: "tensor",
    id: tensorId(t),
    name,
    role,
    shape: [...t.shape],
    dtype: t.dtype,
    requiresGrad: t.requiresGrad,
    isLeaf: t.isLeaf,
    dataSummary: dataSummary(t),
    grad: t._grad ? gradStats(t._grad) : null,
    modulePath,
  };
}

function leafRole(named: NamedTensor | undefined, t: Tensor): RawTensorNode["role"] {
  if (named?.isParameter) return t.requiresGrad ? "parameter" : "frozen";
  return t.requiresGrad ? "leaf" : "constant";
}

export function dumpGraph(roots: readonly NamedTensor[], limit: number, tracker: BackwardTracker | null): RawGraph {
  const nodes: Array<RawFunctionNode | RawTensorNode> = [];
  const byTensor = new Map<Tensor, NamedTensor>();
  for (const root of roots) if (!byTensor.has(root.tensor)) byTensor.set(root.tensor, root);
  // Keyed by the engine's own objects: a 20,000-node graph must not hash 20,000 fresh id strings.
  const added = new Set<Node | Tensor>();
  /** Edges with the objects at both ends, kept only if both ends made it under the limit. */
  const pendingEdges: Array<{ from: Node | Tensor; to: Node | Tensor; edge: RawGraphEdge }> = [];
  let truncated = false;
  let total = 0;

  const add = (key: Node | Tensor, make: () => RawFunctionNode | RawTensorNode): boolean => {
    if (added.has(key)) return true;
    total++;
    if (nodes.length >= limit) {
      truncated = true;
      return false;
    }
    added.add(key);
    nodes.push(make());
    return true;
  };
  const edge = (from: Node | Tensor, to: Node | Tensor, value: RawGraphEdge) => pendingEdges.push({ from, to, edge: value });

  const visitedFunctions = new Set<Node>();
  const queue: Node[] = [];
  const enqueue = (fn: Node) => {
    if (visitedFunctions.has(fn)) return;
    visitedFunctions.add(fn);
    queue.push(fn);
  };

  // Named tensors first, so roots survive the limit.
  const rootIds: string[] = [];
  for (const named of byTensor.values()) {
    const t = named.tensor;
    const role = t.isLeaf ? leafRole(named, t) : "intermediate";
    if (!add(t, () => tensorNode(t, named.name, role, named.modulePath))) continue;
    rootIds.push(tensorId(t));
    if (t._gradFn) {
      edge(t, t._gradFn, { from: tensorId(t), to: functionId(t._gradFn), kind: "next" });
      enqueue(t._gradFn);
    }
  }

  const consumed = new Set<Node>();
  for (let head = 0; head < queue.length; head++) {
    const fn = queue[head]!;
    if (!add(fn, () => functionNode(fn))) continue;
    if (fn instanceof AccumulateGrad) {
      const leaf = fn.variable;
      const named = byTensor.get(leaf);
      if (add(leaf, () => tensorNode(leaf, named?.name ?? null, leafRole(named, leaf), named?.modulePath ?? null))) {
        edge(fn, leaf, { from: functionId(fn), to: tensorId(leaf), kind: "next" });
      }
      continue;
    }
    const next = fn.next;
    const fromId = functionId(fn);
    for (let inputIndex = 0; inputIndex < next.length; inputIndex++) {
      const child = next[inputIndex];
      if (!child) continue;
      consumed.add(child);
      edge(fn, child, { from: fromId, to: functionId(child), kind: "next", inputIndex });
      enqueue(child);
    }
    if (fn instanceof OpNode) addSavedEdges(fn, byTensor, added, edge);
  }
  const edges: RawGraphEdge[] = [];
  for (const e of pendingEdges) if (added.has(e.from) && added.has(e.to)) edges.push(e.edge);

  // A named non-leaf whose gradFn feeds no other function is where backward starts: an output.
  const namedById = new Map<string, NamedTensor>();
  for (const named of byTensor.values()) namedById.set(tensorId(named.tensor), named);
  for (const node of nodes) {
    if (node.kind !== "tensor" || node.role !== "intermediate") continue;
    const named = namedById.get(node.id);
    if (named?.tensor._gradFn && !consumed.has(named.tensor._gradFn)) node.role = "output";
  }

  const backward = tracker ? tracker.state() : { active: false, currentNodeId: null, doneNodeIds: [], pendingNodeIds: [] };
  if (tracker && backward.active) addGradOutputs(nodes, visitedFunctions, tracker);
  return {
    rootIds,
    nodes,
    edges,
    backward,
    truncated,
    totalNodes: total,
  };
}

function functionNode(fn: Node): RawFunctionNode {
  const location = fn.forwardLocation;
  return { kind: "function", id: functionId(fn), name: fn.name(), forwardLocation: location, modulePath: fn.modulePath };
}

/** During a pass: the gradient each function node received so far (the panel colours by it). */
function addGradOutputs(nodes: Array<RawFunctionNode | RawTensorNode>, functions: Set<Node>, tracker: BackwardTracker): void {
  const byId = new Map<string, Node>();
  for (const fn of functions) byId.set(functionId(fn), fn);
  for (const node of nodes) {
    if (node.kind !== "function") continue;
    const fn = byId.get(node.id);
    const grad = fn ? tracker.gradOutputs.get(fn) : undefined;
    if (grad) node.gradOutput = gradStats(grad);
  }
}

/** Saved-tensor edges, only to tensors already in the picture (intermediates would swamp it). */
function addSavedEdges(
  fn: OpNode,
  byTensor: Map<Tensor, NamedTensor>,
  added: Set<Node | Tensor>,
  edge: (from: Node | Tensor, to: Node | Tensor, value: RawGraphEdge) => void,
): void {
  let saved: readonly Tensor[];
  try {
    saved = fn.savedTensors;
  } catch {
    return; // freed after backward
  }
  for (const t of saved) {
    if (byTensor.has(t) && added.has(t)) edge(t, fn, { from: tensorId(t), to: functionId(fn), kind: "saved" });
  }
}
