// The page's pure model and layout code, run in Node: grouping, visibility and the fast layout.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { GraphSnapshot } from "../../src/protocol/graphSnapshot";
import { buildGraphIndex } from "../../media/graph/model/graphIndex";
import { buildGroupTree } from "../../media/graph/model/grouping";
import { computeVisibleGraph, defaultExpansion, COLLAPSED_BUDGET } from "../../media/graph/model/visibleGraph";
import { fastLayeredLayout, isotonicPlacement } from "../../media/graph/layout/fastLayered";
import { toDot } from "../../media/graph/export/dotExport";
import { buildScene, planLayout } from "../../media/graph/render/scene";
import { generateLargeSnapshot } from "../fixtures/graphs/generateLarge.mjs";

const fixture = (name: string): GraphSnapshot => JSON.parse(readFileSync(new URL(`../fixtures/graphs/${name}.json`, import.meta.url), "utf8"));

describe("grouping", () => {
  it("groups by module path, parameters under their module", () => {
    const index = buildGraphIndex(fixture("mlp"));
    const tree = buildGroupTree(index);
    expect([...tree.groups.keys()].sort()).toEqual(["g:fc1", "g:fc2"]);
    expect(tree.chainOf.get("t_w1")).toEqual(["g:fc1"]);
    expect(tree.groups.get("g:fc1")!.memberIds.length).toBe(6);
    expect(computeVisibleGraph(index, tree, new Set()).items.length).toBe(8);
    expect(computeVisibleGraph(index, tree, new Set(["g:fc1"])).items.length).toBe(13);
  });

  it("splits long runs of indexed modules into ranges and marks repeated structure", () => {
    const snapshot = generateLargeSnapshot(20_000);
    const index = buildGraphIndex(snapshot);
    const tree = buildGroupTree(index);
    const blocks = tree.groups.get("g:blocks")!;
    expect(blocks.childGroupIds.every((id) => tree.groups.get(id)!.kind === "range")).toBe(true);
    expect(blocks.repeatCount).toBeGreaterThan(1000);
    const expanded = defaultExpansion(index, tree);
    const visible = computeVisibleGraph(index, tree, expanded);
    expect(visible.items.length).toBeLessThanOrEqual(COLLAPSED_BUDGET);
    expect(visible.items.length).toBeGreaterThan(10);
    // Every graph node is represented by exactly one visible item.
    expect(visible.representativeOf.size).toBe(snapshot.nodes.length);
  });
});

describe("depth bands", () => {
  it("puts long stretches without module paths (an unrolled loop) into collapsible bands", () => {
    const nodes: GraphSnapshot["nodes"] = [];
    const edges: GraphSnapshot["edges"] = [];
    for (let i = 0; i < 5000; i++) {
      nodes.push({ kind: "function", id: `f${i}`, name: i % 2 ? "MulBackward0" : "AddBackward0", forwardLocation: { path: "/w/loop.ts", line: 4 + (i % 2), column: 3 } });
      if (i > 0) edges.push({ from: `f${i - 1}`, to: `f${i}`, kind: "next" });
    }
    const snapshot: GraphSnapshot = { ...fixture("diamond"), nodes, edges, rootIds: ["f0"], totalNodes: nodes.length };
    const index = buildGraphIndex(snapshot);
    const tree = buildGroupTree(index);
    const bands = [...tree.groups.values()].filter((g) => g.kind === "band");
    expect(bands.length).toBe(25);
    expect(bands[0].label).toBe("depth 0–199");
    const visible = computeVisibleGraph(index, tree, defaultExpansion(index, tree));
    expect(visible.items.length).toBe(25);
    expect(visible.edges.length).toBe(24); // a chain of bands
  });
});

describe("fast layered layout", () => {
  it("keeps edges pointing down and nodes in a layer apart", () => {
    const index = buildGraphIndex(generateLargeSnapshot(600));
    const tree = buildGroupTree(index);
    const visible = computeVisibleGraph(index, tree, new Set(tree.groups.keys()));
    const plan = planLayout(visible, tree);
    const geometry = fastLayeredLayout(plan.input);
    const scene = buildScene(visible, plan, geometry, tree);
    for (const e of scene.edges) {
      const from = scene.byId.get(e.edge.from)!;
      const to = scene.byId.get(e.edge.to)!;
      expect(to.y).toBeGreaterThan(from.y);
      expect(e.points.length).toBeGreaterThanOrEqual(4);
    }
    const rows = new Map<number, typeof scene.items>();
    for (const p of scene.items) rows.set(p.y + p.height / 2, [...(rows.get(p.y + p.height / 2) ?? []), p]);
    for (const row of rows.values()) {
      row.sort((a, b) => a.x - b.x);
      for (let i = 1; i < row.length; i++) expect(row[i].x).toBeGreaterThanOrEqual(row[i - 1].x + row[i - 1].width);
    }
  });

  it("places in order with gaps, as close to the wish as allowed", () => {
    const placed = isotonicPlacement([10, 10, 10], [0, 0, 100]);
    expect(placed[1] - placed[0]).toBeGreaterThanOrEqual(10);
    expect(placed[2]).toBe(100);
  });
});

describe("DOT export", () => {
  it("writes one statement per visible node and edge in torchviz colours", () => {
    const index = buildGraphIndex(fixture("nan"));
    const tree = buildGroupTree(index);
    const visible = computeVisibleGraph(index, tree, new Set());
    const plan = planLayout(visible, tree);
    const dot = toDot(buildScene(visible, plan, fastLayeredLayout(plan.input), tree));
    expect(dot.startsWith("digraph gradscope {")).toBe(true);
    expect(dot.trimEnd().endsWith("}")).toBe(true);
    expect(dot.match(/^ {2}"[^"]+" \[label=/gm)?.length).toBe(index.snapshot.nodes.length);
    expect(dot.match(/ -> /g)?.length).toBe(index.snapshot.edges.length);
    expect(dot).toMatch(/"t_x" \[label="x\\n\[3\] float32\\n[^"]*", fillcolor=red/);
    expect(dot).toMatch(/"t_w" \[label="w[^"]*", fillcolor=lightblue/);
  });
});
