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
  edgeStyle: "orthogonal" | "spline";
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

export function planLayout(visible: VisibleGraph, tree: GroupTree): LayoutPlan {
  const labels = visible.items.map(nodeLabel);
  const shown = new Set(visible.expandedGroupIds);
  const innermostShown = (chain: string[]) => [...chain].reverse().find((g) => shown.has(g));
  const nodes = visible.items.map((item, i) => ({ id: item.id, ...nodeSize(item, labels[i]), cluster: innermostShown(enclosingGroups(item, tree)) }));
  const clusters = visible.expandedGroupIds.map((id) => {
    const chain: string[] = [];
    for (let p = tree.groups.get(id)!.parentId; p !== null; p = tree.groups.get(p)!.parentId) chain.unshift(p);
    return { id, parent: innermostShown(chain) };
  });
  const edges = visible.edges.map((e) => ({ id: e.id, from: e.from, to: e.to }));
  const key =
    nodes.map((n) => `${n.id}:${n.width}x${n.height}@${n.cluster ?? ""}`).join(",") +
    "|" + edges.map((e) => `${e.from}>${e.to}`).join(",") +
    "|" + clusters.map((c) => `${c.id}<${c.parent ?? ""}`).join(",");
  return { input: { nodes, edges, clusters }, labels, key };
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
  const clusters = geometry.clusterBoxes ? clustersFromLayout(geometry.clusterBoxes, tree) : cleanClusters(items, visible, tree);
  return { edgeStyle: geometry.edgeStyle, items, byId, edges, clusters, width: geometry.width, height: geometry.height };
}

function levelOf(groupId: string, tree: GroupTree): number {
  let level = 0;
  for (let p = tree.groups.get(groupId)!.parentId; p !== null; p = tree.groups.get(p)!.parentId) level++;
  return level;
}

function clustersFromLayout(boxes: NonNullable<LayoutGeometry["clusterBoxes"]>, tree: GroupTree): Cluster[] {
  return boxes
    .map((b) => ({ groupId: b.id, label: tree.groups.get(b.id)!.label, level: levelOf(b.id, tree), x: b.x, y: b.y, width: b.width, height: b.height }))
    .sort((a, b) => a.level - b.level);
}

/**
 * Without a compound-aware layout (the fast path), a module's bounding box can cover
 * nodes of other modules; such frames would mislead, so only frames that contain
 * nothing but their own members are drawn.
 */
function cleanClusters(items: PlacedItem[], visible: VisibleGraph, tree: GroupTree): Cluster[] {
  const candidates = buildClusters(items, visible, tree);
  if (candidates.length === 0) return candidates;
  const members = new Map<string, Set<string>>();
  for (const p of items) for (const g of enclosingGroups(p.item, tree)) {
    if (!members.has(g)) members.set(g, new Set());
    members.get(g)!.add(p.item.id);
  }
  // Bucket item centres on a coarse grid so each frame only checks nearby items.
  const cell = 400;
  const grid = new Map<string, PlacedItem[]>();
  for (const p of items) {
    const k = `${Math.floor((p.x + p.width / 2) / cell)},${Math.floor((p.y + p.height / 2) / cell)}`;
    if (!grid.has(k)) grid.set(k, []);
    grid.get(k)!.push(p);
  }
  return candidates.filter((c) => {
    const own = members.get(c.groupId)!;
    for (let gx = Math.floor(c.x / cell); gx <= Math.floor((c.x + c.width) / cell); gx++) {
      for (let gy = Math.floor(c.y / cell); gy <= Math.floor((c.y + c.height) / cell); gy++) {
        for (const p of grid.get(`${gx},${gy}`) ?? []) {
          const cx = p.x + p.width / 2;
          const cy = p.y + p.height / 2;
          if (!own.has(p.item.id) && cx > c.x && cx < c.x + c.width && cy > c.y && cy < c.y + c.height) return false;
        }
      }
    }
    return true;
  });
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
