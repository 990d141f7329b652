/**
 * The engine's graph dump (in its compact wire form) -> the GraphSnapshot message of
 * src/protocol: "tensor" for unnamed tensors, TS paths for forward locations, absent fields
 * instead of nulls.
 */
import { fileURLToPath } from "node:url";
import type { RawBackwardState, RawGraphWire } from "../../../engine/debug/inspectTypes";
import type { BackwardPassState, FunctionNode, GraphEdge, GraphNode, GraphSnapshot, TensorNode } from "../../protocol/graphSnapshot";

const NO_PASS: BackwardPassState = { active: false, currentNodeId: null, doneNodeIds: [], pendingNodeIds: [] };

/**
 * The engine's compact wire form straight to a snapshot, without building the RawGraph in
 * between: a 20,000-node graph is answered in one pass over its rows.
 */
export function wireToSnapshot(wire: RawGraphWire, generation: number): GraphSnapshot {
  const locations = wire.locations.map((raw) => ({ path: raw.file.startsWith("file://") ? fileURLToPath(raw.file) : raw.file, line: raw.line, column: raw.column }));
  const gradOutputs = wire.gradOutputs.length > 0 ? new Map(wire.gradOutputs) : null;
  const nodes: GraphNode[] = new Array(wire.nodes.length);
  for (let i = 0; i < wire.nodes.length; i++) {
    const entry = wire.nodes[i]!;
    if (!Array.isArray(entry)) {
      const tensor: TensorNode = {
        kind: "tensor",
        id: entry.id,
        name: entry.name ?? "tensor",
        role: entry.role,
        shape: entry.shape,
        dtype: entry.dtype,
        requiresGrad: entry.requiresGrad,
        isLeaf: entry.isLeaf,
        dataSummary: entry.dataSummary,
        grad: entry.grad,
      };
      if (entry.modulePath) tensor.modulePath = entry.modulePath;
      nodes[i] = tensor;
      continue;
    }
    const [n, name, location, modulePath] = entry;
    const fn: FunctionNode = { kind: "function", id: `f${n}`, name: wire.strings[name]! };
    if (location >= 0) fn.forwardLocation = locations[location]!;
    if (modulePath >= 0) fn.modulePath = wire.strings[modulePath]!;
    const gradOutput = gradOutputs?.get(n);
    if (gradOutput) fn.gradOutput = gradOutput;
    nodes[i] = fn;
  }
  const edges: GraphEdge[] = new Array(wire.edges.length / 4);
  for (let i = 0, e = 0; i + 3 < wire.edges.length; i += 4, e++) {
    const from = wire.edges[i]!;
    const to = wire.edges[i + 1]!;
    const edge: GraphEdge = { from: from < 0 ? `t${-from}` : `f${from}`, to: to < 0 ? `t${-to}` : `f${to}`, kind: wire.edges[i + 2] === 1 ? "saved" : "next" };
    if (wire.edges[i + 3]! >= 0) edge.inputIndex = wire.edges[i + 3]!;
    edges[e] = edge;
  }
  return {
    version: 1,
    generation,
    rootIds: wire.rootIds,
    nodes,
    edges,
    backward: toPassState(wire.backward),
    truncated: wire.truncated,
    totalNodes: wire.totalNodes,
  };
}

export function emptySnapshot(generation: number, backward: RawBackwardState | null): GraphSnapshot {
  return { version: 1, generation, rootIds: [], nodes: [], edges: [], backward: backward ? toPassState(backward) : NO_PASS, truncated: false, totalNodes: 0 };
}

function toPassState(state: RawBackwardState): BackwardPassState {
  return { active: state.active, currentNodeId: state.currentNodeId, doneNodeIds: state.doneNodeIds, pendingNodeIds: state.pendingNodeIds };
}
