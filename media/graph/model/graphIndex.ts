/**
 * Adjacency and lookup tables over one snapshot, built once per snapshot so that
 * grouping, keyboard navigation and exports do not rescan the edge list.
 */
import type { GraphEdge, GraphNode, GraphSnapshot } from "../../../src/protocol/graphSnapshot";

export interface GraphIndex {
  snapshot: GraphSnapshot;
  byId: Map<string, GraphNode>;
  /** Edges whose endpoints both exist (the adapter may cut the graph at `limit`). */
  edges: GraphEdge[];
  outgoing: Map<string, string[]>;
  incoming: Map<string, string[]>;
  /** Distance from the roots along gradient flow (BFS); nodes unreachable from a root get 0. */
  depth: Map<string, number>;
}

export function buildGraphIndex(snapshot: GraphSnapshot): GraphIndex {
  const byId = new Map<string, GraphNode>();
  for (const node of snapshot.nodes) byId.set(node.id, node);
  const edges = snapshot.edges.filter((e) => byId.has(e.from) && byId.has(e.to) && e.from !== e.to);
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  for (const node of snapshot.nodes) {
    outgoing.set(node.id, []);
    incoming.set(node.id, []);
  }
  for (const e of edges) {
    outgoing.get(e.from)!.push(e.to);
    incoming.get(e.to)!.push(e.from);
  }
  return { snapshot, byId, edges, outgoing, incoming, depth: breadthFirstDepth(snapshot, incoming, outgoing) };
}

function breadthFirstDepth(
  snapshot: GraphSnapshot,
  incoming: Map<string, string[]>,
  outgoing: Map<string, string[]>,
): Map<string, number> {
  const depth = new Map<string, number>();
  const queue: string[] = [];
  const starts = snapshot.rootIds.filter((id) => outgoing.has(id));
  for (const node of snapshot.nodes) if (incoming.get(node.id)!.length === 0) starts.push(node.id);
  for (const id of starts) {
    if (!depth.has(id)) {
      depth.set(id, 0);
      queue.push(id);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    const next = depth.get(id)! + 1;
    for (const to of outgoing.get(id)!) {
      if (!depth.has(to)) {
        depth.set(to, next);
        queue.push(to);
      }
    }
  }
  for (const node of snapshot.nodes) if (!depth.has(node.id)) depth.set(node.id, 0);
  return depth;
}
