/**
 * How the `gradscope.graph` response body carries a GraphSnapshot: the same content, with each
 * function name, module path and forward location written once and the function nodes and
 * edges as rows of numbers. Clients read it with decodeGraphSnapshot().
 *
 * Why not the snapshot's objects: a 20,000-node graph is ~4.4 MB of them as JSON, which a
 * client took 50-80 ms only to parse (and the adapter ~35 ms to write); this form is ~0.6 MB,
 * parsed in a few milliseconds, and decoding it makes the same objects in about as long as
 * JSON.parse took to make them.
 */
import type { BackwardPassState, FunctionNode, GradSummary, GraphEdge, GraphNode, GraphSnapshot, SourceLocation, TensorNode } from "./graphSnapshot";

export const COMPACT_SNAPSHOT_FORMAT = "gradscope.compactSnapshot/1";

/** Numbers per row of `nodes` and of `edges`. */
export const SNAPSHOT_ROW = 4;
/** An edge's kind in its row. */
export const EDGE_KIND_NEXT = 0;
export const EDGE_KIND_SAVED = 1;

export interface CompactGraphSnapshot {
  format: typeof COMPACT_SNAPSHOT_FORMAT;
  version: 1;
  generation: number;
  rootIds: string[];
  /** Function names and module paths, each once. */
  strings: string[];
  /** Forward locations, each once. */
  locations: SourceLocation[];
  /** The tensor nodes, in the order `nodes` refers to them. */
  tensors: TensorNode[];
  /**
   * SNAPSHOT_ROW numbers per node, in the snapshot's order. A function node `f<n>`: n (> 0), its
   * name's index in `strings`, its forward location's index in `locations` or -1, its module
   * path's index in `strings` or -1. A tensor node: -1 - its index in `tensors`, -1, -1, -1.
   */
  nodes: number[];
  /** [n, gradOutput] for the function nodes `f<n>` that received a gradient in the current pass. */
  gradOutputs: Array<[number, GradSummary]>;
  /**
   * SNAPSHOT_ROW numbers per edge: from and to (a function `f<n>` as n, a tensor `t<n>` as -n),
   * its kind (EDGE_KIND_NEXT or EDGE_KIND_SAVED), its inputIndex or -1 for none.
   */
  edges: number[];
  backward: BackwardPassState;
  truncated: boolean;
  totalNodes: number;
}

/** A node's number in a row as its id: a function n (> 0) is `f<n>`, a tensor -n is `t<n>`. */
export const rowNodeId = (n: number): string => (n < 0 ? `t${-n}` : `f${n}`);

/** Whether `value` says it is this form and its tables and rows have the right shape (not each value). */
export function isCompactGraphSnapshot(value: unknown): value is CompactGraphSnapshot {
  if (typeof value !== "object" || value === null) return false;
  const body = value as Partial<Record<keyof CompactGraphSnapshot, unknown>>;
  const rows = (list: unknown) => Array.isArray(list) && list.length % SNAPSHOT_ROW === 0;
  return (
    body.format === COMPACT_SNAPSHOT_FORMAT &&
    [body.rootIds, body.strings, body.locations, body.tensors, body.gradOutputs].every(Array.isArray) &&
    rows(body.nodes) &&
    rows(body.edges)
  );
}

/** The GraphSnapshot a `gradscope.graph` response body carries; throws, saying why, on anything else. */
export function decodeGraphSnapshot(body: unknown): GraphSnapshot {
  if (!isCompactGraphSnapshot(body)) {
    const format = typeof body === "object" && body !== null ? (body as { format?: unknown }).format : undefined;
    throw new Error(
      format === COMPACT_SNAPSHOT_FORMAT
        ? `A malformed graph snapshot: its tables are not arrays, or its rows are not ${SNAPSHOT_ROW} numbers each.`
        : `Not a graph snapshot in ${COMPACT_SNAPSHOT_FORMAT} form (format: ${JSON.stringify(format) ?? "none"}): the extension and its debug adapter may be from different versions.`,
    );
  }
  const { strings, locations, tensors, nodes: rows, edges: edgeRows } = body;
  const gradOutputs = body.gradOutputs.length > 0 ? new Map(body.gradOutputs) : null;
  const nodes: GraphNode[] = new Array(rows.length / SNAPSHOT_ROW);
  for (let i = 0, at = 0; at < nodes.length; i += SNAPSHOT_ROW, at++) {
    const n = rows[i]!;
    if (n < 0) {
      nodes[at] = tensors[-1 - n]!;
      continue;
    }
    const fn: FunctionNode = { kind: "function", id: `f${n}`, name: strings[rows[i + 1]!]! };
    const location = rows[i + 2]!;
    if (location >= 0) fn.forwardLocation = locations[location]!;
    const modulePath = rows[i + 3]!;
    if (modulePath >= 0) fn.modulePath = strings[modulePath]!;
    const gradOutput = gradOutputs?.get(n);
    if (gradOutput) fn.gradOutput = gradOutput;
    nodes[at] = fn;
  }
  const edges: GraphEdge[] = new Array(edgeRows.length / SNAPSHOT_ROW);
  for (let i = 0, at = 0; at < edges.length; i += SNAPSHOT_ROW, at++) {
    const edge: GraphEdge = { from: rowNodeId(edgeRows[i]!), to: rowNodeId(edgeRows[i + 1]!), kind: edgeRows[i + 2] === EDGE_KIND_SAVED ? "saved" : "next" };
    const inputIndex = edgeRows[i + 3]!;
    if (inputIndex >= 0) edge.inputIndex = inputIndex;
    edges[at] = edge;
  }
  return {
    version: 1,
    generation: body.generation,
    rootIds: body.rootIds,
    nodes,
    edges,
    backward: body.backward,
    truncated: body.truncated,
    totalNodes: body.totalNodes,
  };
}
