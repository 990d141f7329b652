/**
 * The engine's raw graph dump -> the GraphSnapshot message of src/protocol: user names for
 * unnamed tensors, TS paths for forward locations, absent fields instead of nulls.
 */
import { fileURLToPath } from "node:url";
import type { RawBackwardState, RawGraph, RawLocation } from "../../../engine/debug/inspectTypes";
import type { BackwardPassState, FunctionNode, GraphNode, GraphSnapshot, SourceLocation, TensorNode } from "../../protocol/graphSnapshot";

const NO_PASS: BackwardPassState = { active: false, currentNodeId: null, doneNodeIds: [], pendingNodeIds: [] };

export function toSnapshot(raw: RawGraph | null, generation: number): GraphSnapshot {
  if (!raw) return emptySnapshot(generation, null);
  const locations = new Map<string, SourceLocation>(); // many nodes share a forward line
  const nodes: GraphNode[] = raw.nodes.map((node) => {
    if (node.kind === "function") {
      const fn: FunctionNode = { kind: "function", id: node.id, name: node.name };
      const location = toLocation(node.forwardLocation, locations);
      if (location) fn.forwardLocation = location;
      if (node.modulePath) fn.modulePath = node.modulePath;
      if (node.gradOutput) fn.gradOutput = node.gradOutput;
      return fn;
    }
    const tensor: TensorNode = {
      kind: "tensor",
      id: node.id,
      name: node.name ?? "tensor",
      role: node.role,
      shape: node.shape,
      dtype: node.dtype,
      requiresGrad: node.requiresGrad,
      isLeaf: node.isLeaf,
      dataSummary: node.dataSummary,
      grad: node.grad,
    };
    if (node.modulePath) tensor.modulePath = node.modulePath;
    return tensor;
  });
  return {
    version: 1,
    generation,
    rootIds: raw.rootIds,
    nodes,
    edges: raw.edges,
    backward: toPassState(raw.backward),
    truncated: raw.truncated,
    totalNodes: raw.totalNodes,
  };
}

export function emptySnapshot(generation: number, backward: RawBackwardState | null): GraphSnapshot {
  return { version: 1, generation, rootIds: [], nodes: [], edges: [], backward: backward ? toPassState(backward) : NO_PASS, truncated: false, totalNodes: 0 };
}

function toPassState(state: RawBackwardState): BackwardPassState {
  return { active: state.active, currentNodeId: state.currentNodeId, doneNodeIds: state.doneNodeIds, pendingNodeIds: state.pendingNodeIds };
}

function toLocation(raw: RawLocation | null, cache: Map<string, SourceLocation>): SourceLocation | undefined {
  if (!raw) return undefined;
  const key = `${raw.file}:${raw.line}:${raw.column}`;
  let location = cache.get(key);
  if (!location) {
    location = { path: raw.file.startsWith("file://") ? fileURLToPath(raw.file) : raw.file, line: raw.line, column: raw.column };
    cache.set(key, location);
  }
  return location;
}
