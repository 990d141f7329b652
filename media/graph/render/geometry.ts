/** Node sizes (fixed per structure, so labels that change per stop never move anything) and edge paths. */
import type { NodeLabel } from "../model/labels";
import type { VisibleItem } from "../model/visibleGraph";

/** Average glyph advance of the 12px UI font; an estimate is enough for box sizes. */
const CHAR_WIDTH = 7;
const PADDING_X = 20;
const MIN_WIDTH = 84;
const MAX_WIDTH = 260;

export const LINE_HEIGHT = 15;

export function nodeSize(item: VisibleItem, label: NodeLabel): { width: number; height: number } {
  const longest = Math.max(label.title.length, label.subtitle.length);
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.ceil(longest * CHAR_WIDTH) + PADDING_X));
  if (item.kind === "function") return { width, height: 28 };
  if (item.kind === "group") return { width, height: 44 };
  // Wide enough for a typical `data | grad` line, which is not part of the size.
  return { width: Math.max(width, 176), height: 56 };
}

/** Characters that fit on one line of a node of this width (detail lines use the narrower mono font). */
export function charsThatFit(width: number, charWidth = CHAR_WIDTH): number {
  return Math.max(4, Math.floor((width - PADDING_X / 2) / charWidth));
}

export const DETAIL_CHAR_WIDTH = 6.3;

export function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(1, maxChars - 1))}…`;
}

const r = (v: number) => Math.round(v * 10) / 10;

/** ELK's orthogonal routes: straight segments with rounded corners. */
export function orthogonalEdgePath(points: readonly number[], radius = 6): string {
  if (points.length < 4) return "";
  let d = `M${r(points[0])},${r(points[1])}`;
  for (let i = 2; i + 2 < points.length; i += 2) {
    const [px, py, x, y, nx, ny] = [points[i - 2], points[i - 1], points[i], points[i + 1], points[i + 2], points[i + 3]];
    const inLength = Math.hypot(x - px, y - py);
    const outLength = Math.hypot(nx - x, ny - y);
    const k = Math.min(radius, inLength / 2, outLength / 2);
    if (k < 0.5) {
      d += `L${r(x)},${r(y)}`;
      continue;
    }
    d += `L${r(x - ((x - px) / inLength) * k)},${r(y - ((y - py) / inLength) * k)}`;
    d += `Q${r(x)},${r(y)} ${r(x + ((nx - x) / outLength) * k)},${r(y + ((ny - y) / outLength) * k)}`;
  }
  return d + `L${r(points[points.length - 2])},${r(points[points.length - 1])}`;
}

/**
 * A smooth path through a polyline whose segments run mostly top to bottom: each
 * segment is a cubic with vertical tangents, which reads like Graphviz splines.
 */
export function edgePath(points: readonly number[]): string {
  if (points.length < 4) return "";
  let d = `M${r(points[0])},${r(points[1])}`;
  for (let i = 2; i < points.length; i += 2) {
    const x0 = points[i - 2];
    const y0 = points[i - 1];
    const x1 = points[i];
    const y1 = points[i + 1];
    const midY = (y0 + y1) / 2;
    d += x0 === x1 ? `L${r(x1)},${r(y1)}` : `C${r(x0)},${r(midY)} ${r(x1)},${r(midY)} ${r(x1)},${r(y1)}`;
  }
  return d;
}
