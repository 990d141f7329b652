/** RawGraph -> its compact wire form (see RawGraphWire in inspectTypes.ts). */
import type { RawGraph, RawGraphWire, RawLocation } from "./inspectTypes";

const idNumber = (id: string): number => (id.charCodeAt(0) === 116 /* t */ ? -Number(id.slice(1)) : Number(id.slice(1)));

export function encodeGraph(raw: RawGraph): RawGraphWire {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (text: string | null): number => {
    if (text === null) return -1;
    let at = stringIndex.get(text);
    if (at === undefined) {
      at = strings.push(text) - 1;
      stringIndex.set(text, at);
    }
    return at;
  };
  const locations: RawLocation[] = [];
  // Nodes from one forward line share one location object (see location.ts), so identity first.
  const locationIndex = new Map<RawLocation | string, number>();
  const locate = (location: RawLocation | null): number => {
    if (location === null) return -1;
    let at = locationIndex.get(location);
    if (at !== undefined) return at;
    const key = `${location.file}:${location.line}:${location.column}`;
    at = locationIndex.get(key);
    if (at === undefined) {
      at = locations.push(location) - 1;
      locationIndex.set(key, at);
    }
    locationIndex.set(location, at);
    return at;
  };
  const nodes: RawGraphWire["nodes"] = [];
  const gradOutputs: RawGraphWire["gradOutputs"] = [];
  for (const node of raw.nodes) {
    if (node.kind === "tensor") {
      nodes.push(node);
      continue;
    }
    const n = idNumber(node.id);
    nodes.push([n, intern(node.name), locate(node.forwardLocation), intern(node.modulePath)]);
    if (node.gradOutput) gradOutputs.push([n, node.gradOutput]);
  }
  const edges: number[] = new Array(raw.edges.length * 4);
  raw.edges.forEach((edge, i) => {
    edges[i * 4] = idNumber(edge.from);
    edges[i * 4 + 1] = idNumber(edge.to);
    edges[i * 4 + 2] = edge.kind === "saved" ? 1 : 0;
    edges[i * 4 + 3] = edge.inputIndex ?? -1;
  });
  return {
    format: "gradscope.graphWire/1",
    rootIds: raw.rootIds,
    truncated: raw.truncated,
    totalNodes: raw.totalNodes,
    backward: raw.backward,
    strings,
    locations,
    nodes,
    gradOutputs,
    edges,
  };
}
