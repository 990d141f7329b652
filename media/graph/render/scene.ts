/** The laid-out picture: visible items and edges with positions, plus frames for expanded modules. */
import type { GroupTree } from "../model/grouping";
import { nodeLabel, type NodeLabel } from "../model/labels";
import type { VisibleEdge, VisibleGraph, VisibleItem } from "../model/visibleGraph";
import type { LayoutGeometry, LayoutInput } from "../layout/layoutTypes";
import { nodeSize } from "./geometry";

export interface PlacedItem {
  item: VisibleItem;
  label: NodeLabel;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  edge: VisibleEdge;
  points: number[];
}

export interface Cluster {
  groupId: string;
  label: string;
  /** Nesting level, 0 for top-level modules: inner frames are drawn above outer ones. */
  level: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Scene {
  items: PlacedItem[];
  byId: Map<string, PlacedItem>;
  edges: PlacedEdge[];
  clusters: Cluster[];
  width: number;
  height: number;
}

export interface LayoutPlan {
  input: LayoutInput;
  labels: NodeLabel[];
  /** Identifies the structure being laid out; equal keys reuse a cached layout. */
  key: string;
}

export function planLayout(visible: VisibleGraph): LayoutPlan {
  const labels = visible.items.map(nodeLabel);
  const nodes = visible.items.map((item, i) => ({ id: item.id, ...nodeSize(item, labels[i]) }));
  const edges = visible.edges.map((e) => ({ id: e.id, from: e.from, to: e.to }));
  const key = nodes.map((n) => `${n.id}:${n.width}x${n.height}`).join(",") + "|" + edges.map((e) => `${e.from}>${e.to}`).join(",");
  return { input: { nodes, edges }, labels, key };
}

const FRAME_PAD = 10;
const FRAME_HEADER = 16;

export function buildScene(visible: VisibleGraph, plan: LayoutPlan, geometry: LayoutGeometry, tree: GroupTree): Scene {
  const items: PlacedItem[] = visible.items.map((item, i) => ({
    item,
    label: plan.labels[i],
    x: geometry.positions[2 * i],
    y: geometry.positions[2 * i + 1],
    width: plan.input.nodes[i].width,
    height: plan.input.nodes[i].height,
  }));
  const byId = new Map(items.map((p) => [p.item.id, p]));
  const edges = visible.edges.map((edge, i) => ({ edge, points: geometry.edgePoints[i] ?? [] }));
  return { items, byId, edges, clusters: buildClusters(items, visible, tree), width: geometry.width, height: geometry.height };
}

function enclosingGroups(item: VisibleItem, tree: GroupTree): string[] {
  if (item.kind !== "group") return tree.chainOf.get(item.id) ?? [];
  const chain: string[] = [];
  for (let p = item.group.parentId; p !== null; p = tree.groups.get(p)!.parentId) chain.push(p);
  return chain.reverse();
}

function buildClusters(items: PlacedItem[], visible: VisibleGraph, tree: GroupTree): Cluster[] {
  const shown = new Set(visible.expandedGroupIds);
  const boxes = new Map<string, { x0: number; y0: number; x1: number; y1: number; level: number }>();
  for (const p of items) {
    const chain = enclosingGroups(p.item, tree);
    chain.forEach((g, level) => {
      if (!shown.has(g)) return;
      const box = boxes.get(g);
      if (!box) boxes.set(g, { x0: p.x, y0: p.y, x1: p.x + p.width, y1: p.y + p.height, level });
      else {
        box.x0 = Math.min(box.x0, p.x);
        box.y0 = Math.min(box.y0, p.y);
        box.x1 = Math.max(box.x1, p.x + p.width);
        box.y1 = Math.max(box.y1, p.y + p.height);
      }
    });
  }
  const clusters: Cluster[] = [];
  for (const [groupId, b] of boxes) {
    // Outer frames get more padding so nested frames stay visibly inside them.
    const depthBelow = maxNestedLevel(groupId, boxes, tree) - b.level;
    const pad = FRAME_PAD + depthBelow * 6;
    clusters.push({
      groupId,
      label: tree.groups.get(groupId)!.label,
      level: b.level,
      x: b.x0 - pad,
      y: b.y0 - pad - FRAME_HEADER,
      width: b.x1 - b.x0 + 2 * pad,
      height: b.y1 - b.y0 + 2 * pad + FRAME_HEADER,
    });
  }
  return clusters.sort((a, b) => a.level - b.level);
}

function maxNestedLevel(groupId: string, boxes: Map<string, { level: number }>, tree: GroupTree): number {
  let deepest = boxes.get(groupId)!.level;
  for (const child of tree.groups.get(groupId)!.childGroupIds) {
    if (boxes.has(child)) deepest = Math.max(deepest, maxNestedLevel(child, boxes, tree));
  }
  return deepest;
}
