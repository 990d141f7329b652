/** What the UI thread and the layout worker exchange. Arrays, not objects, so large layouts copy fast. */

export interface LayoutInputNode {
  id: string;
  width: number;
  height: number;
  /** Innermost cluster (expanded module) this node sits in, if any. */
  cluster?: string;
}

/** An expanded module drawn as a frame; ELK lays these out as real compound nodes. */
export interface LayoutInputCluster {
  id: string;
  parent?: string;
}

export interface LayoutInputEdge {
  id: string;
  from: string;
  to: string;
}

export interface LayoutInput {
  nodes: LayoutInputNode[];
  edges: LayoutInputEdge[];
  clusters: LayoutInputCluster[];
}

/** "elk": ELK layered (best quality, slow on big graphs); "fast": our linear-ish layered layout. */
export type LayoutAlgorithm = "elk" | "fast";

export interface LayoutRequest {
  type: "layout";
  requestId: number;
  algorithm: LayoutAlgorithm;
  input: LayoutInput;
}

export interface LayoutGeometry {
  /** Top-left corner of each node, in input order: [x0, y0, x1, y1, ...]. */
  positions: number[];
  /** Polyline of each edge, in input order: [x0, y0, x1, y1, ...] from source to target. */
  edgePoints: number[][];
  width: number;
  height: number;
  /** How to draw edgePoints: ELK routes orthogonally, the fast layout through layer midpoints. */
  edgeStyle: "orthogonal" | "spline";
  /** Frames of clusters, when the algorithm lays them out (ELK); else computed by the page. */
  clusterBoxes?: Array<{ id: string; x: number; y: number; width: number; height: number }>;
}

export interface LayoutResponse {
  type: "layoutResult";
  requestId: number;
  algorithm: LayoutAlgorithm;
  elapsedMs: number;
  geometry: LayoutGeometry;
}

export interface LayoutFailure {
  type: "layoutError";
  requestId: number;
  message: string;
}

export type WorkerToPageMessage = LayoutResponse | LayoutFailure | { type: "workerReady" };
