/**
 * The engine's graph dump (its compact wire form, RawGraphWire) -> the `gradscope.graph`
 * response body (CompactGraphSnapshot of src/protocol): TS paths for forward locations,
 * "tensor" for unnamed tensors, absent fields instead of nulls. Both forms lay out their rows
 * alike, so the rows of a 20,000-node graph pass through as they are.
 */
import { NO_BACKWARD_PASS, type RawBackwardState, type RawGraphWire, type RawLocation, type RawTensorNode } from "../../../engine/debug/inspectTypes";
import type { EDGE_NEXT, EDGE_SAVED, WIRE_ROW } from "../../../engine/debug/graphWire";
import { COMPACT_SNAPSHOT_FORMAT, type CompactGraphSnapshot, type EDGE_KIND_NEXT, type EDGE_KIND_SAVED, type SNAPSHOT_ROW } from "../../protocol/compactSnapshot";
import type { BackwardPassState, SourceLocation, TensorNode } from "../../protocol/graphSnapshot";
import { urlToPath } from "../sourceMaps/sourceMapStore";

/** The rows pass through unchanged only while the two layouts agree: this fails to compile if they part. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type MustHold<T extends true> = T;
export type RowLayoutsAgree = MustHold<
  Same<[typeof WIRE_ROW, typeof EDGE_NEXT, typeof EDGE_SAVED], [typeof SNAPSHOT_ROW, typeof EDGE_KIND_NEXT, typeof EDGE_KIND_SAVED]>
>;

/** `backward`: the pass state to show instead of the dump's (a request while the program runs). */
export function wireToCompact(wire: RawGraphWire, generation: number, backward?: RawBackwardState): CompactGraphSnapshot {
  return {
    format: COMPACT_SNAPSHOT_FORMAT,
    version: 1,
    generation,
    rootIds: wire.rootIds,
    strings: wire.strings,
    locations: wire.locations.map(sourceLocation),
    tensors: wire.tensors.map(tensorNode),
    nodes: wire.nodes,
    gradOutputs: wire.gradOutputs,
    edges: wire.edges,
    backward: toPassState(backward ?? wire.backward),
    truncated: wire.truncated,
    totalNodes: wire.totalNodes,
  };
}

function sourceLocation(raw: RawLocation): SourceLocation {
  return { path: urlToPath(raw.file), line: raw.line, column: raw.column };
}

function tensorNode(entry: RawTensorNode): TensorNode {
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
  return tensor;
}

export function emptyCompact(generation: number, backward: RawBackwardState | null): CompactGraphSnapshot {
  const none = { rootIds: [], strings: [], locations: [], tensors: [], nodes: [], gradOutputs: [], edges: [], truncated: false, totalNodes: 0 };
  return { format: COMPACT_SNAPSHOT_FORMAT, version: 1, generation, ...none, backward: toPassState(backward ?? NO_BACKWARD_PASS) };
}

function toPassState(state: RawBackwardState): BackwardPassState {
  return { active: state.active, currentNodeId: state.currentNodeId, doneNodeIds: state.doneNodeIds, pendingNodeIds: state.pendingNodeIds };
}
