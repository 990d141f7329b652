/** The compact wire form (RawGraphWire, written by graphDump.ts) -> the readable RawGraph. */
import type { RawFunctionNode, RawGraph, RawGraphEdge, RawGraphWire, RawTensorNode } from "./inspectTypes";

const nodeId = (n: number): string => (n < 0 ? `t${-n}` : `f${n}`);

export function decodeGraph(wire: RawGraphWire): RawGraph {
  const gradOutputs = new Map(wire.gradOutputs);
  const nodes: Array<RawFunctionNode | RawTensorNode> = [];
  for (let i = 0; i < wire.nodes.length; i += 4) {
    const n = wire.nodes[i]!;
    if (n < 0) {
      nodes.push(wire.tensors[-1 - n]!);
      continue;
    }
    const location = wire.nodes[i + 2]!;
    const modulePath = wire.nodes[i + 3]!;
    const fn: RawFunctionNode = {
      kind: "function",
      id: nodeId(n),
      name: wire.strings[wire.nodes[i + 1]!]!,
      forwardLocation: location >= 0 ? wire.locations[location]! : null,
      modulePath: modulePath >= 0 ? wire.strings[modulePath]! : null,
    };
    const gradOutput = gradOutputs.get(n);
    if (gradOutput) fn.gradOutput = gradOutput;
    nodes.push(fn);
  }
  const edges: RawGraphEdge[] = [];
  for (let i = 0; i + 3 < wire.edges.length; i += 4) {
    const edge: RawGraphEdge = { from: nodeId(wire.edges[i]!), to: nodeId(wire.edges[i + 1]!), kind: wire.edges[i + 2] === 1 ? "saved" : "next" };
    if (wire.edges[i + 3]! >= 0) edge.inputIndex = wire.edges[i + 3]!;
    edges.push(edge);
  }
  return { rootIds: wire.rootIds, nodes, edges, backward: wire.backward, truncated: wire.truncated, totalNodes: wire.totalNodes };
}
