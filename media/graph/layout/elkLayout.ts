/**
 * ELK layered layout, run inside the layout worker. Options favour speed over the last
 * bit of quality (thoroughness 1, network-simplex layering, Brandes-Köpf placement):
 * measured on this project's generated graphs, ELK's defaults take ~6 s for 2,300 nodes
 * and these ~2.5 s, which is why large views use fastLayered.ts instead (see README in
 * bench/webview).
 */
import type { ELK, ElkNode } from "elkjs/lib/elk-api";
import type { LayoutGeometry, LayoutInput } from "./layoutTypes";

const LAYOUT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.edgeRouting": "POLYLINE",
  "elk.layered.thoroughness": "1",
  "elk.layered.layering.strategy": "NETWORK_SIMPLEX",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.spacing.nodeNode": "22",
  "elk.layered.spacing.nodeNodeBetweenLayers": "40",
  "elk.spacing.edgeNode": "14",
  "elk.padding": "[top=20,left=20,bottom=20,right=20]",
};

export async function elkLayout(elk: ELK, input: LayoutInput): Promise<LayoutGeometry> {
  const graph: ElkNode = {
    id: "root",
    layoutOptions: LAYOUT_OPTIONS,
    children: input.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: input.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  };
  const laidOut = await elk.layout(graph);
  const placed = new Map((laidOut.children ?? []).map((c) => [c.id, c]));
  const positions: number[] = [];
  for (const n of input.nodes) {
    const c = placed.get(n.id);
    positions.push(c?.x ?? 0, c?.y ?? 0);
  }
  const routed = new Map((laidOut.edges ?? []).map((e) => [e.id, e]));
  const edgePoints = input.edges.map((e) => {
    const section = routed.get(e.id)?.sections?.[0];
    if (!section) return [];
    const points = [section.startPoint.x, section.startPoint.y];
    for (const bend of section.bendPoints ?? []) points.push(bend.x, bend.y);
    points.push(section.endPoint.x, section.endPoint.y);
    return points;
  });
  return { positions, edgePoints, width: laidOut.width ?? 0, height: laidOut.height ?? 0 };
}
