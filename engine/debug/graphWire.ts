/** The compact wire form (RawGraphWire, written by graphDump.ts) -> the readable RawGraph. */
import type { RawFunctionNode, RawGraph, RawGraphEdge, RawGraphWire, RawTensorNode } from "./inspectTypes";

/** Numbers per node row and per edge (see RawGraphWire). */
export const WIRE_ROW = 4;
/** An edge's kind code on the wire. */
export const EDGE_NEXT = 0;
export const EDGE_SAVED = 1;

/** A node number on the wire as its id: a function n (> 0) is `f<n>`, a tensor -id is `t<id>`. */
const wireNodeId = (n: number): string => (n < 0 ? `t${-n}` : `f${n}`);
const wireEdgeKind = (code: number): "next" | "saved" => (code === EDGE_SAVED ? "saved" : "next");

export function decodeGraph(wire: RawGraphWire): RawGraph {
  const gradOutputs = new Map(wire.gradOutputs);
  const nodes: Array<RawFunctionNode | RawTensorNode> = [];
  for (let i = 0; i < wire.nodes.length; i += WIRE_ROW) {
    const n = wire.nodes[i]!;
    if (n < 0) {
      nodes.push(wire.tensors[-1 - n]!);
      continue;
    }
    const location = wire.nodes[i + 2]!;
    const modulePath = wire.nodes[i + 3]!;
    const fn: RawFunctionNode = {
      kind: "function",
      id: wireNodeId(n),
      name: wire.strings[wire.nodes[i + 1]!]!,
      forwardLocation: location >= 0 ? wire.locations[location]! : null,
      modulePath: modulePath >= 0 ? wire.strings[modulePath]! : null,
    };
    const gradOutput = gradOutputs.get(n);
    if (gradOutput) fn.gradOutput = gradOutput;
    nodes.push(fn);
  }
  const edges: RawGraphEdge[] = [];
  for (let i = 0; i + WIRE_ROW - 1 < wire.edges.length; i += WIRE_ROW) {
    const edge: RawGraphEdge = { from: wireNodeId(wire.edges[i]!), to: wireNodeId(wire.edges[i + 1]!), kind: wireEdgeKind(wire.edges[i + 2]!) };
    if (wire.edges[i + 3]! >= 0) edge.inputIndex = wire.edges[i + 3]!;
    edges.push(edge);
  }
  return { rootIds: wire.rootIds, nodes, edges, backward: wire.backward, truncated: wire.truncated, totalNodes: wire.totalNodes };
}
