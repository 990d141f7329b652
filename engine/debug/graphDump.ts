/**
 * The backward graph reachable from some named tensors (and modules), as plain data for the
 * debugger: tensors, backward functions, and edges in the direction gradients flow.
 *
 * Written straight into the compact wire form (RawGraphWire): a 20,000-node graph is answered
 * on every stop, so no object or id string is made per function node or edge, and no set the
 * size of the graph keeps each function from being visited twice: each is marked when reached.
 */
import { NO_BACKWARD_PASS, type RawGraphWire, type RawLocation, type RawTensorNode } from "./inspectTypes";
import type { Node } from "../autograd/node";
import { AccumulateGrad } from "../autograd/accumulateGrad";
import { OpNode, newGraphWalk } from "../autograd/node";
import type { Tensor } from "../tensor";
import { formatNumber, gradStats } from "./describe";
import type { BackwardTracker } from "./backwardTracker";
import { resolveLocations } from "./location";
import { EDGE_NEXT, EDGE_SAVED, WIRE_ROW } from "./graphWire";

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


/** The tables a dump fills: names and module paths, and forward locations, each stored once. */
class WireTables {
  readonly strings: string[] = [];
  readonly locations: RawLocation[] = [];
  private readonly stringIndex = new Map<string, number>();
  /** Nodes from one forward line share one location object (location.ts), so identity first. */
  private readonly locationIndex = new Map<RawLocation, number>();
  private readonly locationByKey = new Map<string, number>();

  intern(text: string | null): number {
    if (text === null) return -1;
    let at = this.stringIndex.get(text);
    if (at === undefined) {
      at = this.strings.push(text) - 1;
      this.stringIndex.set(text, at);
    }
    return at;
  }

  locate(location: RawLocation | null): number {
    if (location === null) return -1;
    let at = this.locationIndex.get(location);
    if (at !== undefined) return at;
    const key = `${location.file}:${location.line}:${location.column}`;
    at = this.locationByKey.get(key);
    if (at === undefined) {
      at = this.locations.push({ file: location.file, line: location.line, column: location.column }) - 1;
      this.locationByKey.set(key, at);
    }
    this.locationIndex.set(location, at);
    return at;
  }
}

export function dumpGraph(roots: readonly NamedTensor[], limit: number, tracker: BackwardTracker | null): RawGraphWire {
  // Every function node's forward location is resolved here (thousands on a first request).
  return resolveLocations(() => dumpGraphWire(roots, limit, tracker));
}

function dumpGraphWire(roots: readonly NamedTensor[], limit: number, tracker: BackwardTracker | null): RawGraphWire {
  const tables = new WireTables();
  const nodes: number[] = [];
  const tensors: RawTensorNode[] = [];
  const tensorObjects: Tensor[] = [];
  const byTensor = new Map<Tensor, NamedTensor>();
  for (const root of roots) if (!byTensor.has(root.tensor)) byTensor.set(root.tensor, root);
  const addedTensors = new Set<Tensor>();
  /** Functions in the order they are reached; the first `addedFunctions` of them are in the graph. */
  const queue: Node[] = [];
  /** Functions reached are marked on themselves (Node.firstReachedIn), with this walk's number. */
  const walk = newGraphWalk();
  let addedFunctions = 0;
  let total = 0;
  let truncated = false;
  /** 4 numbers per edge (see RawGraphWire.edges). */
  const edges: number[] = [];

  const addTensor = (t: Tensor, make: () => RawTensorNode): boolean => {
    if (addedTensors.has(t)) return true;
    total++;
    if (nodes.length >= limit * WIRE_ROW) {
      truncated = true;
      return false;
    }
    addedTensors.add(t);
    nodes.push(-1 - tensors.length, -1, -1, -1);
    tensors.push(make());
    tensorObjects.push(t);
    return true;
  };

  // Named tensors first, so roots survive the limit.
  const rootIds: string[] = [];
  /** gradFns of named non-leaf tensors: one that no function feeds from is where backward starts. */
  const namedGradFns = new Set<Node>();
  for (const named of byTensor.values()) {
    const t = named.tensor;
    const role = t.isLeaf ? leafRole(named, t) : "intermediate";
    if (!addTensor(t, () => tensorNode(t, named.name, role, named.modulePath))) continue;
    rootIds.push(tensorId(t));
    const gradFn = t._gradFn;
    if (gradFn) {
      namedGradFns.add(gradFn);
      edges.push(-t.id, gradFn.nodeId, EDGE_NEXT, -1);
      if (gradFn.firstReachedIn(walk)) queue.push(gradFn);
    }
  }

  const consumed = new Set<Node>();
  for (let head = 0; head < queue.length; head++) {
    const fn = queue[head]!;
    total++;
    if (nodes.length >= limit * WIRE_ROW) {
      truncated = true;
      continue;
    }
    addedFunctions++;
    const fromId = fn.nodeId;
    nodes.push(fromId, tables.intern(fn.name()), tables.locate(fn.forwardLocation), tables.intern(fn.modulePath));
    if (fn instanceof AccumulateGrad) {
      const leaf = fn.variable;
      const named = byTensor.get(leaf);
      if (addTensor(leaf, () => tensorNode(leaf, named?.name ?? null, leafRole(named, leaf), named?.modulePath ?? null))) {
        edges.push(fromId, -leaf.id, EDGE_NEXT, -1);
      }
      continue;
    }
    const edgeCount = fn.edgeCount;
    for (let inputIndex = 0; inputIndex < edgeCount; inputIndex++) {
      const child = fn.edge(inputIndex);
      if (!child) continue;
      if (namedGradFns.has(child)) consumed.add(child);
      edges.push(fromId, child.nodeId, EDGE_NEXT, inputIndex);
      if (child.firstReachedIn(walk)) queue.push(child);
    }
    if (fn instanceof OpNode) addSavedEdges(fn, fromId, byTensor, addedTensors, edges);
  }
  // Without truncation every edge's ends made it; with it, keep the edges between nodes that did.
  const keptEdges = truncated ? edgesWithin(edges, nodes, tensorObjects) : edges;

  // Only named tensors are intermediates here (leaves come in through AccumulateGrad).
  tensors.forEach((node, i) => {
    const gradFn = tensorObjects[i]!._gradFn;
    if (node.role === "intermediate" && gradFn && !consumed.has(gradFn)) node.role = "output";
  });

  const backward = tracker ? tracker.state() : NO_BACKWARD_PASS;
  const gradOutputs: RawGraphWire["gradOutputs"] = [];
  if (tracker && backward.active) {
    const grads = tracker.gradOutputs();
    for (let i = 0; i < addedFunctions; i++) {
      const grad = grads.get(queue[i]!);
      if (grad) gradOutputs.push([queue[i]!.nodeId, gradStats(grad)]);
    }
  }
  return {
    format: "gradscope.graphWire/2",
    rootIds,
    truncated,
    totalNodes: total,
    backward,
    strings: tables.strings,
    locations: tables.locations,
    tensors,
    nodes,
    gradOutputs,
    edges: keptEdges,
  };
}

/** The edges whose both ends made it into the graph (ids as on the wire: function n, tensor -id). */
function edgesWithin(edges: number[], nodes: number[], tensors: Tensor[]): number[] {
  const ids = new Set<number>();
  for (let i = 0; i < nodes.length; i += WIRE_ROW) if (nodes[i]! > 0) ids.add(nodes[i]!);
  for (const t of tensors) ids.add(-t.id);
  const kept: number[] = [];
  for (let e = 0; e < edges.length; e += WIRE_ROW) {
    if (ids.has(edges[e]!) && ids.has(edges[e + 1]!)) kept.push(edges[e]!, edges[e + 1]!, edges[e + 2]!, edges[e + 3]!);
  }
  return kept;
}

/** Saved-tensor edges, only to tensors already in the picture (intermediates would swamp it). */
function addSavedEdges(fn: OpNode, fnId: number, byTensor: Map<Tensor, NamedTensor>, added: Set<Tensor>, edges: number[]): void {
  const saved = fn.keptSavedTensors;
  if (saved === null) return;
  for (let i = 0; i < saved.length; i++) {
    const t = saved[i]!;
    if (byTensor.has(t) && added.has(t)) edges.push(-t.id, fnId, EDGE_SAVED, -1);
  }
}
