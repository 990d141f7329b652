/**
 * CSS classes that carry the colour language. Structure classes (kind, role) are fixed
 * for a layout; state classes (gradient health, backward progress) are recomputed on
 * every stop and backward step — that is the cheap "restyle" path.
 */
import type { BackwardPassState, GradSummary, GraphNode } from "../../../src/protocol/graphSnapshot";
import type { GraphIndex } from "./graphIndex";
import type { VisibleItem } from "./visibleGraph";

export type GradHealth = "vanishing" | "small" | "ok" | "large" | "exploding" | "nonfinite";

/** Thresholds on the gradient's L2 norm; chosen to flag the usual failure orders of magnitude. */
export const VANISHING_BELOW = 1e-7;
export const SMALL_BELOW = 1e-4;
export const LARGE_ABOVE = 1e2;
export const EXPLODING_ABOVE = 1e4;

export function gradHealth(grad: GradSummary | null | undefined): GradHealth | null {
  if (!grad) return null;
  if (grad.hasNaN || grad.hasInf || !Number.isFinite(grad.norm)) return "nonfinite";
  if (grad.norm < VANISHING_BELOW) return "vanishing";
  if (grad.norm < SMALL_BELOW) return "small";
  if (grad.norm > EXPLODING_ABOVE) return "exploding";
  if (grad.norm > LARGE_ABOVE) return "large";
  return "ok";
}

function gradOf(node: GraphNode): GradSummary | null | undefined {
  return node.kind === "tensor" ? node.grad : node.gradOutput;
}

export function structureClasses(item: VisibleItem): string[] {
  if (item.kind === "group") return ["node", "kind-group", `group-${item.group.kind}`];
  const node = item.node;
  if (node.kind === "function") return ["node", "kind-function", node.name === "AccumulateGrad" ? "fn-accumulate" : "fn-backward"];
  const classes = ["node", "kind-tensor", `role-${node.role}`];
  classes.push(node.isLeaf ? "is-leaf" : "non-leaf");
  if (node.requiresGrad) classes.push("requires-grad");
  return classes;
}

/** The worst gradient health among a group's members: what a glance should catch. */
function groupHealth(memberIds: readonly string[], index: GraphIndex): GradHealth | null {
  const order: GradHealth[] = ["ok", "small", "large", "vanishing", "exploding", "nonfinite"];
  let worst: GradHealth | null = null;
  for (const id of memberIds) {
    const h = gradHealth(gradOf(index.byId.get(id)!));
    if (h && (worst === null || order.indexOf(h) > order.indexOf(worst))) worst = h;
  }
  return worst;
}

export type BackwardMark = "current" | "done" | "pending" | "partial" | null;

export interface BackwardLookup {
  current: string | null;
  done: ReadonlySet<string>;
  pending: ReadonlySet<string>;
}

export function backwardLookup(state: BackwardPassState): BackwardLookup {
  return { current: state.active ? state.currentNodeId : null, done: new Set(state.doneNodeIds), pending: new Set(state.pendingNodeIds) };
}

/** Graph node ids whose backward mark differs between two states. */
export function changedBackwardIds(before: BackwardLookup, after: BackwardLookup): Set<string> {
  const changed = new Set<string>();
  const markOf = (l: BackwardLookup, id: string) => (id === l.current ? 1 : l.done.has(id) ? 2 : l.pending.has(id) ? 3 : 0);
  for (const source of [before.done, after.done, before.pending, after.pending]) {
    for (const id of source) if (markOf(before, id) !== markOf(after, id)) changed.add(id);
  }
  for (const id of [before.current, after.current]) if (id !== null && markOf(before, id) !== markOf(after, id)) changed.add(id);
  return changed;
}

function backwardMark(memberIds: readonly string[], lookup: BackwardLookup): BackwardMark {
  let done = 0;
  let pending = 0;
  for (const id of memberIds) {
    if (id === lookup.current) return "current";
    if (lookup.done.has(id)) done++;
    else if (lookup.pending.has(id)) pending++;
  }
  if (done > 0 && pending === 0) return "done";
  if (done > 0) return "partial";
  if (pending > 0) return "pending";
  return null;
}

/** Classes that change between stops: gradient health and backward progress. */
export function stateClasses(item: VisibleItem, index: GraphIndex, lookup: BackwardLookup): string[] {
  const members = item.kind === "group" ? item.group.memberIds : [item.id];
  const classes: string[] = [];
  const health = item.kind === "group" ? groupHealth(members, index) : gradHealth(gradOf(item.node));
  if (health) classes.push(`grad-${health}`);
  if (health === "nonfinite") classes.push("nonfinite");
  const mark = backwardMark(members, lookup);
  if (mark) classes.push(`bw-${mark}`);
  return classes;
}
