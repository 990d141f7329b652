/**
 * Collapsible groups over the graph: one group per nn.Module path ("blocks", "blocks.3",
 * "blocks.3.fc1"), range groups over long runs of indexed siblings ("blocks.[0–37]", the
 * repeated-structure case: repeated layers, unrolled steps), and depth bands for large
 * stretches of nodes that carry no module path (e.g. a training loop's iterations).
 * The tree is computed once per snapshot; which groups are expanded is view state.
 */
import type { GraphNode } from "../../../src/protocol/graphSnapshot";
import type { GraphIndex } from "./graphIndex";

export type GroupKind = "module" | "range" | "band";

export interface GroupInfo {
  id: string;
  kind: GroupKind;
  label: string;
  /** Module path this group stands for (module groups), or the parent's path (ranges). */
  path: string;
  parentId: string | null;
  childGroupIds: string[];
  /** Every graph node beneath this group, transitively. */
  memberIds: string[];
  /** Set when this group's indexed children all have the same structure. */
  repeatCount?: number;
}

export interface GroupTree {
  groups: Map<string, GroupInfo>;
  /** For each graph node: its enclosing groups, outermost first (empty when ungrouped). */
  chainOf: Map<string, string[]>;
  topLevelGroupIds: string[];
}

/** More indexed siblings than this are split into range groups. */
const RANGE_SPLIT_THRESHOLD = 16;
/** More ungrouped nodes than this are put into depth bands. */
const BAND_THRESHOLD = 600;
const BAND_TARGET_SIZE = 200;

/** The module that owns a node: a parameter's path names the parameter itself. */
export function ownerModulePath(node: GraphNode): string | null {
  if (!node.modulePath) return null;
  if (node.kind === "tensor" && (node.role === "parameter" || node.role === "frozen")) {
    const cut = node.modulePath.lastIndexOf(".");
    return cut < 0 ? null : node.modulePath.slice(0, cut);
  }
  return node.modulePath;
}

export function buildGroupTree(index: GraphIndex): GroupTree {
  const groups = new Map<string, GroupInfo>();
  const ownerGroupOf = new Map<string, string>();
  const ungrouped: string[] = [];

  for (const node of index.snapshot.nodes) {
    const owner = ownerModulePath(node);
    if (owner) ownerGroupOf.set(node.id, ensureModuleGroup(groups, owner));
    else ungrouped.push(node.id);
  }
  splitIndexedRuns(groups);
  if (ungrouped.length > BAND_THRESHOLD) {
    for (const [nodeId, bandId] of makeDepthBands(groups, ungrouped, index.depth)) ownerGroupOf.set(nodeId, bandId);
  }

  const chainOf = new Map<string, string[]>();
  for (const node of index.snapshot.nodes) {
    const chain: string[] = [];
    for (let g = ownerGroupOf.get(node.id) ?? null; g !== null; g = groups.get(g)!.parentId) chain.push(g);
    chain.reverse();
    chainOf.set(node.id, chain);
    for (const g of chain) groups.get(g)!.memberIds.push(node.id);
  }
  markRepeatedStructure(groups, index);
  const topLevelGroupIds = [...groups.values()].filter((g) => g.parentId === null).map((g) => g.id);
  return { groups, chainOf, topLevelGroupIds };
}

function ensureModuleGroup(groups: Map<string, GroupInfo>, path: string): string {
  const id = `g:${path}`;
  if (groups.has(id)) return id;
  const cut = path.lastIndexOf(".");
  const parentId = cut < 0 ? null : ensureModuleGroup(groups, path.slice(0, cut));
  groups.set(id, { id, kind: "module", label: path, path, parentId, childGroupIds: [], memberIds: [] });
  if (parentId) groups.get(parentId)!.childGroupIds.push(id);
  return id;
}

function indexSuffix(group: GroupInfo): number | null {
  const last = group.path.slice(group.path.lastIndexOf(".") + 1);
  return /^\d+$/.test(last) ? Number(last) : null;
}

/** "blocks.0" … "blocks.1427" under one parent become ~sqrt(n) range groups. */
function splitIndexedRuns(groups: Map<string, GroupInfo>): void {
  const byParent = new Map<string | null, GroupInfo[]>();
  for (const g of groups.values()) {
    if (indexSuffix(g) === null) continue;
    const list = byParent.get(g.parentId) ?? [];
    list.push(g);
    byParent.set(g.parentId, list);
  }
  for (const [parentId, children] of byParent) {
    if (children.length <= RANGE_SPLIT_THRESHOLD) continue;
    children.sort((a, b) => indexSuffix(a)! - indexSuffix(b)!);
    const chunk = Math.ceil(Math.sqrt(children.length));
    const parentPath = parentId ? groups.get(parentId)!.path : "";
    for (let i = 0; i < children.length; i += chunk) {
      const run = children.slice(i, i + chunk);
      const first = indexSuffix(run[0])!;
      const last = indexSuffix(run[run.length - 1])!;
      const id = `g:${parentPath}#${first}-${last}`;
      const prefix = parentPath ? `${parentPath}.` : "";
      const range: GroupInfo = {
        id, kind: "range", label: `${prefix}[${first}–${last}]`, path: parentPath, parentId,
        childGroupIds: run.map((c) => c.id), memberIds: [],
      };
      groups.set(id, range);
      for (const c of run) c.parentId = id;
      if (parentId) {
        const parent = groups.get(parentId)!;
        parent.childGroupIds = parent.childGroupIds.filter((cid) => !range.childGroupIds.includes(cid));
        parent.childGroupIds.push(id);
      }
    }
  }
}

/** Consecutive depth ranges of ungrouped nodes, cut only where the depth changes. */
function makeDepthBands(groups: Map<string, GroupInfo>, ungrouped: string[], depth: Map<string, number>): Map<string, string> {
  const sorted = [...ungrouped].sort((a, b) => depth.get(a)! - depth.get(b)!);
  const bandOf = new Map<string, string>();
  let band: string[] = [];
  const flush = () => {
    if (band.length === 0) return;
    const lo = depth.get(band[0])!;
    const hi = depth.get(band[band.length - 1])!;
    const id = `g:@depth#${lo}-${hi}`;
    groups.set(id, { id, kind: "band", label: `depth ${lo}–${hi}`, path: "", parentId: null, childGroupIds: [], memberIds: [] });
    for (const n of band) bandOf.set(n, id);
    band = [];
  };
  for (const id of sorted) {
    if (band.length >= BAND_TARGET_SIZE && depth.get(id) !== depth.get(band[band.length - 1])) flush();
    band.push(id);
  }
  flush();
  return bandOf;
}

/** A group whose children have identical structure gets `repeatCount` (shown as "×N"). */
function markRepeatedStructure(groups: Map<string, GroupInfo>, index: GraphIndex): void {
  const signatureOf = (g: GroupInfo) =>
    g.memberIds.map((id) => index.byId.get(id)!.name).sort().join("|");
  for (const g of groups.values()) {
    const children = g.childGroupIds.map((id) => groups.get(id)!);
    // Only indexed children (layers.0, layers.1, …) or ranges of them are repetitions;
    // fc1 and fc2 looking alike is not.
    if (children.length < 2 || !children.every((c) => c.kind === "range" || indexSuffix(c) !== null)) continue;
    // Ranges stand for indexed modules: compare the modules inside them.
    const leaves = children.every((c) => c.kind === "range") ? children.flatMap((c) => c.childGroupIds.map((id) => groups.get(id)!)) : children;
    const signature = signatureOf(leaves[0]);
    if (leaves.every((c) => signatureOf(c) === signature)) g.repeatCount = leaves.length;
  }
}
