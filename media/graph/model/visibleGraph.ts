/**
 * What is on screen for a given set of expanded groups: each graph node is shown
 * as itself or as its outermost collapsed group, and edges between hidden nodes
 * are merged into one edge between their representatives.
 */
import type { GraphNode } from "../../../src/protocol/graphSnapshot";
import type { GraphIndex } from "./graphIndex";
import type { GroupInfo, GroupTree } from "./grouping";

export type VisibleItem =
  | { id: string; kind: "tensor" | "function"; node: GraphNode }
  | { id: string; kind: "group"; group: GroupInfo };

export interface VisibleEdge {
  id: string;
  from: string;
  to: string;
  kind: "next" | "saved";
  /** How many graph edges this one stands for. */
  count: number;
}

export interface VisibleGraph {
  items: VisibleItem[];
  itemById: Map<string, VisibleItem>;
  edges: VisibleEdge[];
  /** Graph node id -> id of the visible item standing for it. */
  representativeOf: Map<string, string>;
  /** Expanded groups that have visible content, for cluster frames. */
  expandedGroupIds: string[];
}

function representative(nodeId: string, tree: GroupTree, expanded: ReadonlySet<string>): string {
  for (const g of tree.chainOf.get(nodeId)!) if (!expanded.has(g)) return g;
  return nodeId;
}

export function countVisible(index: GraphIndex, tree: GroupTree, expanded: ReadonlySet<string>): number {
  const seen = new Set<string>();
  for (const node of index.snapshot.nodes) seen.add(representative(node.id, tree, expanded));
  return seen.size;
}

export function computeVisibleGraph(index: GraphIndex, tree: GroupTree, expanded: ReadonlySet<string>): VisibleGraph {
  const representativeOf = new Map<string, string>();
  const itemById = new Map<string, VisibleItem>();
  const items: VisibleItem[] = [];
  for (const node of index.snapshot.nodes) {
    const rep = representative(node.id, tree, expanded);
    representativeOf.set(node.id, rep);
    if (itemById.has(rep)) continue;
    const item: VisibleItem = rep === node.id ? { id: rep, kind: node.kind, node } : { id: rep, kind: "group", group: tree.groups.get(rep)! };
    itemById.set(rep, item);
    items.push(item);
  }
  const edgeByKey = new Map<string, VisibleEdge>();
  for (const e of index.edges) {
    const from = representativeOf.get(e.from)!;
    const to = representativeOf.get(e.to)!;
    if (from === to) continue;
    const key = `${from}\u0000${to}`;
    const existing = edgeByKey.get(key);
    if (existing) {
      existing.count++;
      if (e.kind === "next") existing.kind = "next";
    } else {
      edgeByKey.set(key, { id: `e${edgeByKey.size}`, from, to, kind: e.kind, count: 1 });
    }
  }
  const expandedGroupIds = [...expanded].filter((g) => tree.groups.has(g) && isShown(g, tree, expanded));
  return { items, itemById, edges: [...edgeByKey.values()], representativeOf, expandedGroupIds };
}

/** An expanded group is shown (as a frame) only when all its ancestors are expanded too. */
function isShown(groupId: string, tree: GroupTree, expanded: ReadonlySet<string>): boolean {
  for (let p = tree.groups.get(groupId)!.parentId; p !== null; p = tree.groups.get(p)!.parentId) if (!expanded.has(p)) return false;
  return true;
}

/** Graphs up to this size open fully expanded. */
export const EXPAND_ALL_LIMIT = 2500;
/** Larger graphs open with whole nesting levels expanded while they fit this budget. */
export const COLLAPSED_BUDGET = 400;

/**
 * "Expand all" stops at this many visible items: an SVG of tens of thousands of nodes
 * would block the page for seconds. Deeper groups can still be opened one by one.
 */
export const EXPAND_ALL_BUDGET = 6000;

export function defaultExpansion(index: GraphIndex, tree: GroupTree): Set<string> {
  if (index.snapshot.nodes.length <= EXPAND_ALL_LIMIT) return new Set(tree.groups.keys());
  return expandLevelsWithin(index, tree, COLLAPSED_BUDGET);
}

/** Expands whole nesting levels, outermost first, while the view stays within `budget` items. */
export function expandLevelsWithin(index: GraphIndex, tree: GroupTree, budget: number): Set<string> {
  if (index.snapshot.nodes.length <= budget) return new Set(tree.groups.keys());
  let expanded = new Set<string>();
  let frontier = tree.topLevelGroupIds;
  while (frontier.length > 0) {
    const candidate = new Set([...expanded, ...frontier]);
    if (countVisible(index, tree, candidate) > budget) break;
    expanded = candidate;
    frontier = frontier.flatMap((g) => tree.groups.get(g)!.childGroupIds);
  }
  return expanded;
}
