/** The engine's compact graph wire form (RawGraphWire) -> RawGraph. */
import type { RawFunctionNode, RawGraph, RawGraphEdge, RawGraphWire, RawTensorNode } from "../../../engine/debug/inspectTypes";

const idText = (n: number): string => (n < 0 ? `t${-n}` : `f${n}`);

export function decodeGraph(wire: RawGraphWire): RawGraph {
  const gradOutputs = new Map(wire.gradOutputs);
  const nodes: Array<RawFunctionNode | RawTensorNode> = wire.nodes.map((entry) => {
    if (!Array.isArray(entry)) return entry;
    const [n, name, location, modulePath] = entry;
    const fn: RawFunctionNode = {
      kind: "function",
      id: `f${n}`,
      name: wire.strings[name]!,
      forwardLocation: location >= 0 ? wire.locations[location]! : null,
      modulePath: modulePath >= 0 ? wire.strings[modulePath]! : null,
    };
    const gradOutput = gradOutputs.get(n);
    if (gradOutput) fn.gradOutput = gradOutput;
    return fn;
  });
  const edges: RawGraphEdge[] = [];
  for (let i = 0; i + 3 < wire.edges.length; i += 4) {
    const edge: RawGraphEdge = { from: idText(wire.edges[i]!), to: idText(wire.edges[i + 1]!), kind: wire.edges[i + 2] === 1 ? "saved" : "next" };
    if (wire.edges[i + 3]! >= 0) edge.inputIndex = wire.edges[i + 3]!;
    edges.push(edge);
  }
  return { rootIds: wire.rootIds, nodes, edges, backward: wire.backward, truncated: wire.truncated, totalNodes: wire.totalNodes };
}
