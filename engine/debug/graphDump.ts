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
  const values = t.toArray();
  if (n <= 4) return `[${values.map(formatNumber).join(", ")}]`;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  return `mean ${formatNumber(mean)}`;
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
  const edges: RawGraphEdge[] = [];
  const byTensor = new Map<Tensor, NamedTensor>();
  for (const root of roots) if (!byTensor.has(root.tensor)) byTensor.set(root.tensor, root);
  const added = new Set<string>();
  let truncated = false;
  let total = 0;

  const add = (node: RawFunctionNode | RawTensorNode): boolean => {
    if (added.has(node.id)) return true;
    total++;
    if (nodes.length >= limit) {
      truncated = true;
      return false;
    }
    added.add(node.id);
    nodes.push(node);
    return true;
  };

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
    if (!add(tensorNode(t, named.name, role, named.modulePath))) continue;
    rootIds.push(tensorId(t));
    if (t._gradFn) {
      edges.push({ from: tensorId(t), to: functionId(t._gradFn), kind: "next" });
      enqueue(t._gradFn);
    }
  }

  const consumed = new Set<Node>();
  for (let head = 0; head < queue.length; head++) {
    const fn = queue[head]!;
    if (!add(functionNode(fn))) continue;
    if (fn instanceof AccumulateGrad) {
      const leaf = fn.variable;
      const named = byTensor.get(leaf);
      if (add(tensorNode(leaf, named?.name ?? null, leafRole(named, leaf), named?.modulePath ?? null))) {
        edges.push({ from: functionId(fn), to: tensorId(leaf), kind: "next" });
      }
      continue;
    }
    fn.next.forEach((child, inputIndex) => {
      if (!child) return;
      consumed.add(child);
      edges.push({ from: functionId(fn), to: functionId(child), kind: "next", inputIndex });
      enqueue(child);
    });
    if (fn instanceof OpNode) addSavedEdges(fn, byTensor, added, edges);
  }

  // A named non-leaf whose gradFn feeds no other function is where backward starts: an output.
  for (const node of nodes) {
    if (node.kind !== "tensor" || node.role !== "intermediate") continue;
    const named = [...byTensor.values()].find((n) => tensorId(n.tensor) === node.id);
    if (named?.tensor._gradFn && !consumed.has(named.tensor._gradFn)) node.role = "output";
  }

  return {
    rootIds,
    nodes,
    edges: edges.filter((e) => added.has(e.from) && added.has(e.to)),
    backward: tracker ? tracker.state() : { active: false, currentNodeId: null, doneNodeIds: [], pendingNodeIds: [] },
    truncated,
    totalNodes: total,
  };
}

function functionNode(fn: Node): RawFunctionNode {
  const location = fn.forwardLocation;
  return { kind: "function", id: functionId(fn), name: fn.name(), forwardLocation: location, modulePath: fn.modulePath };
}

/** Saved-tensor edges, only to tensors already in the picture (intermediates would swamp it). */
function addSavedEdges(fn: OpNode, byTensor: Map<Tensor, NamedTensor>, added: Set<string>, edges: RawGraphEdge[]): void {
  let saved: readonly Tensor[];
  try {
    saved = fn.savedTensors;
  } catch {
    return; // freed after backward
  }
  for (const t of saved) {
    if (byTensor.has(t) && added.has(tensorId(t))) edges.push({ from: tensorId(t), to: functionId(fn), kind: "saved" });
  }
}
