/**
 * The engine's graph dump (in its compact wire form) -> the GraphSnapshot message of
 * src/protocol: "tensor" for unnamed tensors, TS paths for forward locations, absent fields
 * instead of nulls.
 *
 * Two renderings of the same mapping: the snapshot object (inline adapter, tests), and its
 * JSON text written straight from the wire (the standalone adapter sends it as is): a
 * 20,000-node graph is ~4 MB of JSON, and building 40,000 objects only for JSON.stringify to
 * walk them again costs more than the engine takes to dump the graph.
 */
import { fileURLToPath } from "node:url";
import type { RawBackwardState, RawGraphWire, RawLocation, RawTensorNode } from "../../../engine/debug/inspectTypes";
import type { BackwardPassState, FunctionNode, GraphEdge, GraphNode, GraphSnapshot, SourceLocation, TensorNode } from "../../protocol/graphSnapshot";

const NO_PASS: BackwardPassState = { active: false, currentNodeId: null, doneNodeIds: [], pendingNodeIds: [] };

/** How the wire's 4-number node rows and edges read (see RawGraphWire). */
const ROW = 4;
const id = (n: number): string => (n < 0 ? `t${-n}` : `f${n}`);
const edgeKind = (code: number): GraphEdge["kind"] => (code === 1 ? "saved" : "next");

/** `backward`: the pass state to show instead of the dump's (a request while the program runs). */
export function wireToSnapshot(wire: RawGraphWire, generation: number, backward?: RawBackwardState): GraphSnapshot {
  const locations = wire.locations.map(sourceLocation);
  const gradOutputs = wire.gradOutputs.length > 0 ? new Map(wire.gradOutputs) : null;
  const tensors = wire.tensors.map(tensorNode);
  const rows = wire.nodes;
  const nodes: GraphNode[] = new Array(rows.length / ROW);
  for (let i = 0, at = 0; i + ROW - 1 < rows.length; i += ROW, at++) {
    const n = rows[i]!;
    if (n < 0) {
      nodes[at] = tensors[-1 - n]!;
      continue;
    }
    const fn: FunctionNode = { kind: "function", id: `f${n}`, name: wire.strings[rows[i + 1]!]! };
    const location = rows[i + 2]!;
    if (location >= 0) fn.forwardLocation = locations[location]!;
    const modulePath = rows[i + 3]!;
    if (modulePath >= 0) fn.modulePath = wire.strings[modulePath]!;
    const gradOutput = gradOutputs?.get(n);
    if (gradOutput) fn.gradOutput = gradOutput;
    nodes[at] = fn;
  }
  const edges: GraphEdge[] = new Array(wire.edges.length / ROW);
  for (let i = 0, e = 0; i + ROW - 1 < wire.edges.length; i += ROW, e++) {
    const edge: GraphEdge = { from: id(wire.edges[i]!), to: id(wire.edges[i + 1]!), kind: edgeKind(wire.edges[i + 2]!) };
    if (wire.edges[i + 3]! >= 0) edge.inputIndex = wire.edges[i + 3]!;
    edges[e] = edge;
  }
  return {
    version: 1,
    generation,
    rootIds: wire.rootIds,
    nodes,
    edges,
    backward: toPassState(backward ?? wire.backward),
    truncated: wire.truncated,
    totalNodes: wire.totalNodes,
  };
}

/** JSON.stringify(wireToSnapshot(wire, generation, backward)), written directly. */
export function wireToSnapshotJson(wire: RawGraphWire, generation: number, backward?: RawBackwardState): string {
  const locations = wire.locations.map((raw) => JSON.stringify(sourceLocation(raw)));
  const strings = wire.strings.map((text) => JSON.stringify(text));
  const gradOutputs = new Map(wire.gradOutputs.map(([n, summary]) => [n, JSON.stringify(summary)]));
  const tensors = wire.tensors.map((t) => JSON.stringify(tensorNode(t)));
  const rows = wire.nodes;
  const nodes: string[] = new Array(rows.length / ROW);
  for (let i = 0, at = 0; i + ROW - 1 < rows.length; i += ROW, at++) {
    const n = rows[i]!;
    if (n < 0) {
      nodes[at] = tensors[-1 - n]!;
      continue;
    }
    let text = `{"kind":"function","id":"f${n}","name":${strings[rows[i + 1]!]}`;
    const location = rows[i + 2]!;
    if (location >= 0) text += `,"forwardLocation":${locations[location]}`;
    const modulePath = rows[i + 3]!;
    if (modulePath >= 0) text += `,"modulePath":${strings[modulePath]}`;
    const gradOutput = gradOutputs.get(n);
    if (gradOutput) text += `,"gradOutput":${gradOutput}`;
    nodes[at] = `${text}}`;
  }
  const edgeRows = wire.edges;
  const edges: string[] = new Array(edgeRows.length / ROW);
  for (let i = 0, e = 0; i + ROW - 1 < edgeRows.length; i += ROW, e++) {
    const inputIndex = edgeRows[i + 3]!;
    edges[e] =
      `{"from":"${id(edgeRows[i]!)}","to":"${id(edgeRows[i + 1]!)}","kind":"${edgeKind(edgeRows[i + 2]!)}"` +
      (inputIndex >= 0 ? `,"inputIndex":${inputIndex}}` : "}");
  }
  return (
    `{"version":1,"generation":${generation},"rootIds":${JSON.stringify(wire.rootIds)},` +
    `"nodes":[${nodes.join(",")}],"edges":[${edges.join(",")}],` +
    `"backward":${JSON.stringify(toPassState(backward ?? wire.backward))},"truncated":${wire.truncated},"totalNodes":${wire.totalNodes}}`
  );
}

function sourceLocation(raw: RawLocation): SourceLocation {
  return { path: raw.file.startsWith("file://") ? fileURLToPath(raw.file) : raw.file, line: raw.line, column: raw.column };
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

export function emptySnapshot(generation: number, backward: RawBackwardState | null): GraphSnapshot {
  return { version: 1, generation, rootIds: [], nodes: [], edges: [], backward: backward ? toPassState(backward) : NO_PASS, truncated: false, totalNodes: 0 };
}

function toPassState(state: RawBackwardState): BackwardPassState {
  return { active: state.active, currentNodeId: state.currentNodeId, doneNodeIds: state.doneNodeIds, pendingNodeIds: state.pendingNodeIds };
}
