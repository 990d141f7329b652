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
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.layered.thoroughness": "1",
  "elk.layered.layering.strategy": "NETWORK_SIMPLEX",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.spacing.nodeNode": "18",
  "elk.layered.spacing.nodeNodeBetweenLayers": "28",
  "elk.spacing.edgeNode": "14",
  "elk.padding": "[top=20,left=20,bottom=20,right=20]",
  // Clusters are laid out with their contents, and every coordinate comes back global.
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.json.shapeCoords": "ROOT",
  "elk.json.edgeCoords": "ROOT",
};

const CLUSTER_OPTIONS: Record<string, string> = {
  "elk.padding": "[top=24,left=10,bottom=10,right=10]",
};

export async function elkLayout(elk: ELK, input: LayoutInput): Promise<LayoutGeometry> {
  const graph: ElkNode = {
    id: "root",
    layoutOptions: LAYOUT_OPTIONS,
    children: [],
    edges: input.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  };
  const containers = new Map<string, ElkNode>();
  const containerOf = (cluster: string | undefined): ElkNode => (cluster && containers.get(cluster)) || graph;
  for (const c of input.clusters) containers.set(c.id, { id: c.id, layoutOptions: CLUSTER_OPTIONS, children: [] });
  for (const c of input.clusters) containerOf(c.parent).children!.push(containers.get(c.id)!);
  for (const n of input.nodes) containerOf(n.cluster).children!.push({ id: n.id, width: n.width, height: n.height });
  const laidOut = await elk.layout(graph);
  const placed = new Map<string, ElkNode>();
  const collect = (node: ElkNode) => {
    for (const c of node.children ?? []) {
      placed.set(c.id, c);
      collect(c);
    }
  };
  collect(laidOut);
  const positions: number[] = [];
  for (const n of input.nodes) {
    const c = placed.get(n.id);
    positions.push(c?.x ?? 0, c?.y ?? 0);
  }
  const routed = new Map((laidOut.edges ?? []).map((e) => [e.id, e]));
  const clusterBoxes = input.clusters.map((c) => {
    const box = placed.get(c.id);
    return { id: c.id, x: box?.x ?? 0, y: box?.y ?? 0, width: box?.width ?? 0, height: box?.height ?? 0 };
  });
  const edgePoints = input.edges.map((e) => {
    const section = routed.get(e.id)?.sections?.[0];
    if (!section) return [];
    const points = [section.startPoint.x, section.startPoint.y];
    for (const bend of section.bendPoints ?? []) points.push(bend.x, bend.y);
    points.push(section.endPoint.x, section.endPoint.y);
    return points;
  });
  return { positions, edgePoints, width: laidOut.width ?? 0, height: laidOut.height ?? 0, edgeStyle: "orthogonal", clusterBoxes };
}
