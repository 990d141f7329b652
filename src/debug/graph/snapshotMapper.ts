/**
 * The engine's graph dump (in its compact wire form) -> the GraphSnapshot message of
 * src/protocol: "tensor" for unnamed tensors, TS paths for forward locations, absent fields
 * instead of nulls.
 *
 * Two renderings of the same mapping: the snapshot object (inline adapter, tests), and its
 * JSON written straight from the wire as UTF-8 bytes (the standalone adapter sends them as
 * they are): a 20,000-node graph is ~4 MB of JSON, and building 40,000 objects only for
 * JSON.stringify to walk them again costs more than the engine takes to dump the graph.
 */
import { NO_BACKWARD_PASS, type RawBackwardState, type RawGraphWire, type RawLocation, type RawTensorNode } from "../../../engine/debug/inspectTypes";
import type { BackwardPassState, FunctionNode, GraphEdge, GraphNode, GraphSnapshot, SourceLocation, TensorNode } from "../../protocol/graphSnapshot";
import { urlToPath } from "../sourceMaps/sourceMapStore";
import { EDGE_SAVED, WIRE_ROW, wireEdgeKind, wireNodeId } from "../../../engine/debug/graphWire";



/** `backward`: the pass state to show instead of the dump's (a request while the program runs). */
export function wireToSnapshot(wire: RawGraphWire, generation: number, backward?: RawBackwardState): GraphSnapshot {
  const locations = wire.locations.map(sourceLocation);
  const gradOutputs = wire.gradOutputs.length > 0 ? new Map(wire.gradOutputs) : null;
  const tensors = wire.tensors.map(tensorNode);
  const rows = wire.nodes;
  const nodes: GraphNode[] = new Array(rows.length / WIRE_ROW);
  for (let i = 0, at = 0; i + WIRE_ROW - 1 < rows.length; i += WIRE_ROW, at++) {
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
  const edges: GraphEdge[] = new Array(wire.edges.length / WIRE_ROW);
  for (let i = 0, e = 0; i + WIRE_ROW - 1 < wire.edges.length; i += WIRE_ROW, e++) {
    const edge: GraphEdge = { from: wireNodeId(wire.edges[i]!), to: wireNodeId(wire.edges[i + 1]!), kind: wireEdgeKind(wire.edges[i + 2]!) };
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

const fragment = (text: string): Buffer => Buffer.from(text, "utf8");
const FUNCTION_ID = fragment(`,{"kind":"function","id":"f`);
const NAME = fragment(`","name":`);
const FORWARD_LOCATION = fragment(`,"forwardLocation":`);
const MODULE_PATH = fragment(`,"modulePath":`);
const GRAD_OUTPUT = fragment(`,"gradOutput":`);
const EDGE_FROM_TENSOR = fragment(`,{"from":"t`);
const EDGE_FROM_FUNCTION = fragment(`,{"from":"f`);
const EDGE_TO_TENSOR = fragment(`","to":"t`);
const EDGE_TO_FUNCTION = fragment(`","to":"f`);
const EDGE_KIND_NEXT = fragment(`","kind":"next"`);
const EDGE_KIND_SAVED = fragment(`","kind":"saved"`);
const INPUT_INDEX = fragment(`,"inputIndex":`);
const OPEN_ARRAY = 91;
const CLOSE_OBJECT = 125;
/** Room for a safe integer's digits and sign. */
const INT_BYTES = 17;

/**
 * JSON.stringify(wireToSnapshot(wire, generation, backward)) as UTF-8, written directly into
 * one buffer sized for the worst case: ~4 MB for 20,000 nodes with no string built per node
 * (nor flattened, nor encoded again for the pipe). The loops write in place, with few calls
 * per node: the first request of a session runs this code cold.
 */
export function wireToSnapshotJson(wire: RawGraphWire, generation: number, backward?: RawBackwardState): Buffer {
  const locations = wire.locations.map((raw) => fragment(JSON.stringify(sourceLocation(raw))));
  const strings = wire.strings.map((text) => fragment(JSON.stringify(text)));
  const gradOutputs = new Map(wire.gradOutputs.map(([n, summary]) => [n, fragment(JSON.stringify(summary))]));
  const tensors = wire.tensors.map((t) => fragment(`,${JSON.stringify(tensorNode(t))}`));
  // Every entry below starts with its comma; the first one's becomes the array's `[`.
  const head = fragment(`{"version":1,"generation":${generation},"rootIds":${JSON.stringify(wire.rootIds)},"nodes":`);
  const middle = fragment(`],"edges":`);
  const tail = fragment(
    `],"backward":${JSON.stringify(toPassState(backward ?? wire.backward))},"truncated":${wire.truncated},"totalNodes":${wire.totalNodes}}`,
  );
  const longest = (list: Buffer[]) => list.reduce((most, b) => Math.max(most, b.length), 0);
  const functionBytes =
    FUNCTION_ID.length + INT_BYTES + NAME.length + longest(strings) + FORWARD_LOCATION.length + longest(locations) +
    MODULE_PATH.length + longest(strings) + GRAD_OUTPUT.length + longest([...gradOutputs.values()]) + 1;
  const edgeBytes = EDGE_FROM_FUNCTION.length + EDGE_TO_FUNCTION.length + 2 * INT_BYTES + EDGE_KIND_SAVED.length + INPUT_INDEX.length + INT_BYTES + 1;
  const rows = wire.nodes;
  const edges = wire.edges;
  const buffer = Buffer.allocUnsafe(
    head.length + middle.length + tail.length + 2 + (rows.length / WIRE_ROW) * Math.max(functionBytes, longest(tensors)) + (edges.length / WIRE_ROW) * edgeBytes,
  );
  buffer.set(head, 0);
  let at = head.length;
  const nodesStart = at;
  for (let i = 0; i + WIRE_ROW - 1 < rows.length; i += WIRE_ROW) {
    const n = rows[i]!;
    if (n < 0) {
      const t = tensors[-1 - n]!;
      buffer.set(t, at);
      at += t.length;
      continue;
    }
    buffer.set(FUNCTION_ID, at);
    at = writeInt(buffer, at + FUNCTION_ID.length, n);
    at = writeField(buffer, at, NAME, strings[rows[i + 1]!]!);
    const location = rows[i + 2]!;
    if (location >= 0) at = writeField(buffer, at, FORWARD_LOCATION, locations[location]!);
    const modulePath = rows[i + 3]!;
    if (modulePath >= 0) at = writeField(buffer, at, MODULE_PATH, strings[modulePath]!);
    const gradOutput = gradOutputs.get(n);
    if (gradOutput) at = writeField(buffer, at, GRAD_OUTPUT, gradOutput);
    buffer[at++] = CLOSE_OBJECT;
  }
  at = openArray(buffer, nodesStart, at);
  buffer.set(middle, at);
  at += middle.length;
  const edgesStart = at;
  for (let i = 0; i + WIRE_ROW - 1 < edges.length; i += WIRE_ROW) {
    const from = edges[i]!;
    const fromPrefix = from < 0 ? EDGE_FROM_TENSOR : EDGE_FROM_FUNCTION;
    buffer.set(fromPrefix, at);
    at = writeInt(buffer, at + fromPrefix.length, from < 0 ? -from : from);
    const to = edges[i + 1]!;
    const toPrefix = to < 0 ? EDGE_TO_TENSOR : EDGE_TO_FUNCTION;
    buffer.set(toPrefix, at);
    at = writeInt(buffer, at + toPrefix.length, to < 0 ? -to : to);
    const kind = edges[i + 2] === EDGE_SAVED ? EDGE_KIND_SAVED : EDGE_KIND_NEXT;
    buffer.set(kind, at);
    at += kind.length;
    const inputIndex = edges[i + 3]!;
    if (inputIndex >= 0) {
      buffer.set(INPUT_INDEX, at);
      at = writeInt(buffer, at + INPUT_INDEX.length, inputIndex);
    }
    buffer[at++] = CLOSE_OBJECT;
  }
  at = openArray(buffer, edgesStart, at);
  buffer.set(tail, at);
  return buffer.subarray(0, at + tail.length);
}

/** `key` then `value` (both JSON already) at `at`; returns the end. */
function writeField(buffer: Buffer, at: number, key: Buffer, value: Buffer): number {
  buffer.set(key, at);
  buffer.set(value, at + key.length);
  return at + key.length + value.length;
}

/** A non-negative safe integer in decimal at `at`; returns the end. */
function writeInt(buffer: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let n = value;
  for (let i = at + digits - 1; i >= at; i--) {
    buffer[i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + digits;
}

/** The `[` of entries written from `start`, each after a comma: over the first comma, or before the (empty) end. */
function openArray(buffer: Buffer, start: number, end: number): number {
  buffer[start] = OPEN_ARRAY;
  return end === start ? end + 1 : end;
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

export function emptySnapshot(generation: number, backward: RawBackwardState | null): GraphSnapshot {
  return { version: 1, generation, rootIds: [], nodes: [], edges: [], backward: toPassState(backward ?? NO_BACKWARD_PASS), truncated: false, totalNodes: 0 };
}

function toPassState(state: RawBackwardState): BackwardPassState {
  return { active: state.active, currentNodeId: state.currentNodeId, doneNodeIds: state.doneNodeIds, pendingNodeIds: state.pendingNodeIds };
}
