/**
 * A fast layered (Sugiyama-style) layout for large graphs, where ELK takes seconds:
 * longest-path layering from the roots, dummy nodes for long edges, barycentric
 * crossing reduction sweeps, and x placement that pulls every node toward its
 * neighbours' mean while keeping order and spacing (isotonic regression, pool adjacent
 * violators). Everything is O((V + E) log V) per sweep, so 20,000 nodes stay well
 * under a second. Layers run top to bottom in gradient-flow order (outputs on top).
 */
import type { LayoutGeometry, LayoutInput } from "./layoutTypes";

const NODE_GAP = 22;
const LAYER_GAP = 44;
const DUMMY_WIDTH = 6;
const SWEEPS = 6;
const MARGIN = 20;

interface Work {
  width: number[];
  height: number[];
  layer: number[];
  /** Adjacency over real + dummy nodes, always from a lower layer index to a higher one. */
  down: number[][];
  up: number[][];
}

export function fastLayeredLayout(input: LayoutInput): LayoutGeometry {
  const n = input.nodes.length;
  if (n === 0) return { positions: [], edgePoints: input.edges.map(() => []), edgeStyle: "spline", width: 0, height: 0 };
  const indexOf = new Map<string, number>();
  input.nodes.forEach((node, i) => indexOf.set(node.id, i));
  const edgePairs: Array<[number, number]> = [];
  for (const e of input.edges) {
    const a = indexOf.get(e.from);
    const b = indexOf.get(e.to);
    if (a !== undefined && b !== undefined && a !== b) edgePairs.push([a, b]);
  }
  const reversed = findBackEdges(n, edgePairs);
  const layer = longestPathLayers(n, edgePairs, reversed);

  const work: Work = {
    width: input.nodes.map((node) => node.width),
    height: input.nodes.map((node) => node.height),
    layer,
    down: Array.from({ length: n }, () => []),
    up: Array.from({ length: n }, () => []),
  };
  // Each edge becomes a chain through one dummy per crossed layer; chains[i] lists its nodes.
  const chains = edgePairs.map(([a, b], i) => {
    const [top, bottom] = reversed[i] ? [b, a] : [a, b];
    const chain = [top];
    for (let l = layer[top] + 1; l < layer[bottom]; l++) {
      const dummy = work.width.length;
      work.width.push(DUMMY_WIDTH);
      work.height.push(0);
      work.layer.push(l);
      work.down.push([]);
      work.up.push([]);
      chain.push(dummy);
    }
    chain.push(bottom);
    for (let k = 0; k + 1 < chain.length; k++) {
      work.down[chain[k]].push(chain[k + 1]);
      work.up[chain[k + 1]].push(chain[k]);
    }
    return reversed[i] ? chain.reverse() : chain;
  });

  const layers = initialOrder(work, n);
  const center = new Float64Array(work.width.length);
  reduceCrossings(layers, work);
  placeHorizontally(layers, work, center);

  // Vertical placement: each layer as tall as its tallest node, nodes centred in it.
  const layerTop: number[] = [];
  let y = MARGIN;
  for (const row of layers) {
    layerTop.push(y);
    let tallest = 0;
    for (const v of row) tallest = Math.max(tallest, work.height[v]);
    y += tallest + LAYER_GAP;
  }
  const layerHeight = layers.map((row) => row.reduce((m, v) => Math.max(m, work.height[v]), 0));
  const top = (v: number) => layerTop[work.layer[v]] + (layerHeight[work.layer[v]] - work.height[v]) / 2;

  let minX = Infinity;
  let maxX = -Infinity;
  for (let v = 0; v < work.width.length; v++) {
    minX = Math.min(minX, center[v] - work.width[v] / 2);
    maxX = Math.max(maxX, center[v] + work.width[v] / 2);
  }
  const shift = MARGIN - (Number.isFinite(minX) ? minX : 0);
  const positions: number[] = new Array(n * 2);
  for (let v = 0; v < n; v++) {
    positions[2 * v] = center[v] - work.width[v] / 2 + shift;
    positions[2 * v + 1] = top(v);
  }
  const edgePoints = chains.map((chain, i) => {
    const points: number[] = [];
    const goesDown = !reversed[i];
    chain.forEach((v, k) => {
      const x = center[v] + shift;
      if (k === 0) points.push(x, goesDown ? top(v) + work.height[v] : top(v));
      else if (k === chain.length - 1) points.push(x, goesDown ? top(v) : top(v) + work.height[v]);
      else points.push(x, top(v) + layerHeight[work.layer[v]] / 2);
    });
    return points;
  });
  return { positions, edgePoints, edgeStyle: "spline", width: maxX - minX + 2 * MARGIN || 2 * MARGIN, height: y - LAYER_GAP + MARGIN };
}

/** Iterative DFS; edges that close a cycle are laid out reversed (autograd graphs rarely have any). */
function findBackEdges(n: number, pairs: Array<[number, number]>): boolean[] {
  const out: number[][] = Array.from({ length: n }, () => []);
  pairs.forEach(([a], i) => out[a].push(i));
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const reversed = new Array<boolean>(pairs.length).fill(false);
  for (let s = 0; s < n; s++) {
    if (state[s]) continue;
    const stack: Array<[number, number]> = [[s, 0]];
    state[s] = 1;
    while (stack.length) {
      const frame = stack[stack.length - 1];
      const [v, k] = frame;
      if (k < out[v].length) {
        frame[1]++;
        const edge = out[v][k];
        const w = pairs[edge][1];
        if (state[w] === 1) reversed[edge] = true;
        else if (state[w] === 0) {
          state[w] = 1;
          stack.push([w, 0]);
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  return reversed;
}

/** Longest path from the sources, then sources sink to just above their first successor. */
function longestPathLayers(n: number, pairs: Array<[number, number]>, reversed: boolean[]): number[] {
  const out: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  pairs.forEach(([a, b], i) => {
    const [from, to] = reversed[i] ? [b, a] : [a, b];
    out[from].push(to);
    indegree[to]++;
  });
  const layer = new Array<number>(n).fill(0);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue.push(v);
  const sources = [...queue];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (const w of out[v]) {
      layer[w] = Math.max(layer[w], layer[v] + 1);
      if (--indegree[w] === 0) queue.push(w);
    }
  }
  for (const s of sources) {
    if (out[s].length === 0) continue;
    let nearest = Infinity;
    for (const w of out[s]) nearest = Math.min(nearest, layer[w]);
    layer[s] = Math.max(layer[s], nearest - 1);
  }
  return layer;
}

/** Depth-first order from the top layer so that related nodes start next to each other. */
function initialOrder(work: Work, realCount: number): number[][] {
  const layerCount = work.layer.reduce((m, l) => Math.max(m, l), -1) + 1;
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  const seen = new Uint8Array(work.width.length);
  const visit = (start: number) => {
    const stack = [start];
    while (stack.length) {
      const v = stack.pop()!;
      if (seen[v]) continue;
      seen[v] = 1;
      layers[work.layer[v]].push(v);
      for (let k = work.down[v].length - 1; k >= 0; k--) if (!seen[work.down[v][k]]) stack.push(work.down[v][k]);
    }
  };
  for (let v = 0; v < realCount; v++) if (work.up[v].length === 0) visit(v);
  for (let v = 0; v < work.width.length; v++) if (!seen[v]) visit(v);
  return layers;
}

function reduceCrossings(layers: number[][], work: Work): void {
  const position = new Float64Array(work.width.length);
  const record = (row: number[]) => row.forEach((v, i) => (position[v] = i));
  layers.forEach(record);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const downward = sweep % 2 === 0;
    const order = downward ? layers.map((_, i) => i).slice(1) : layers.map((_, i) => i).reverse().slice(1);
    for (const l of order) {
      const row = layers[l];
      const keys = new Map<number, number>();
      for (const v of row) {
        const neighbours = downward ? work.up[v] : work.down[v];
        if (neighbours.length === 0) keys.set(v, position[v]);
        else {
          let sum = 0;
          for (const w of neighbours) sum += position[w];
          // Scale into this row's index space so nodes without neighbours keep their slot.
          keys.set(v, sum / neighbours.length);
        }
      }
      row.sort((a, b) => keys.get(a)! - keys.get(b)! || position[a] - position[b]);
      record(row);
    }
  }
}

/** Pull nodes toward their neighbours' mean x while keeping order and gaps. */
function placeHorizontally(layers: number[][], work: Work, center: Float64Array): void {
  for (const row of layers) {
    let x = 0;
    for (const v of row) {
      center[v] = x + work.width[v] / 2;
      x += work.width[v] + NODE_GAP;
    }
  }
  for (let pass = 0; pass < 8; pass++) {
    const downward = pass % 2 === 0;
    const order = downward ? layers.map((_, i) => i) : layers.map((_, i) => i).reverse();
    for (const l of order) {
      const row = layers[l];
      const desired = row.map((v) => {
        const primary = downward ? work.up[v] : work.down[v];
        const neighbours = primary.length ? primary : downward ? work.down[v] : work.up[v];
        if (neighbours.length === 0) return center[v];
        let sum = 0;
        for (const w of neighbours) sum += center[w];
        return sum / neighbours.length;
      });
      const placed = isotonicPlacement(row.map((v) => work.width[v]), desired);
      row.forEach((v, i) => (center[v] = placed[i]));
    }
  }
}

/**
 * Least-squares positions closest to `desired` subject to keeping the order and
 * the minimum gap: subtract cumulative offsets, run pool-adjacent-violators, add back.
 */
export function isotonicPlacement(widths: number[], desired: number[]): number[] {
  const n = widths.length;
  const offset = new Float64Array(n);
  for (let i = 1; i < n; i++) offset[i] = offset[i - 1] + (widths[i - 1] + widths[i]) / 2 + NODE_GAP;
  const blockValue: number[] = [];
  const blockSize: number[] = [];
  for (let i = 0; i < n; i++) {
    let value = desired[i] - offset[i];
    let size = 1;
    while (blockValue.length && blockValue[blockValue.length - 1] > value) {
      const prevSize = blockSize.pop()!;
      const prevValue = blockValue.pop()!;
      value = (prevValue * prevSize + value * size) / (prevSize + size);
      size += prevSize;
    }
    blockValue.push(value);
    blockSize.push(size);
  }
  const result: number[] = new Array(n);
  let i = 0;
  blockValue.forEach((value, b) => {
    for (let k = 0; k < blockSize[b]; k++, i++) result[i] = value + offset[i];
  });
  return result;
}
