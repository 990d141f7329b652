/** Search by name: matches graph nodes (including hidden ones) by name, module path and op. */
import type { GraphIndex } from "../model/graphIndex";

export function findMatches(index: GraphIndex, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits: string[] = [];
  for (const node of index.snapshot.nodes) {
    const haystack = `${node.name} ${node.modulePath ?? ""}`.toLowerCase();
    if (haystack.includes(q)) hits.push(node.id);
  }
  // Top of the graph (closest to the output) first: the order backward visits them.
  return hits.sort((a, b) => index.depth.get(a)! - index.depth.get(b)!);
}
