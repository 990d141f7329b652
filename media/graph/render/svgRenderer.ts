/**
 * Draws a Scene into the page's SVG and restyles it. A full render builds markup as one
 * string (much faster than thousands of createElementNS calls; every user-provided text
 * is escaped). Restyling only rewrites the class attribute of items whose state changed,
 * which keeps a backward step far below a frame even on large views.
 *
 * Labels are drawn only for nodes in (or near) the view: text is most of the cost of
 * laying out and painting a large SVG, and nodes far away cannot be read anyway.
 * `ensureLabels` adds them as the view moves; exports call `ensureAllLabels`.
 */
import { charsThatFit, DETAIL_CHAR_WIDTH, edgePath, LINE_HEIGHT, orthogonalEdgePath, truncate } from "./geometry";
import type { PlacedItem, Scene } from "./scene";

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export type StateClassesOf = (placed: PlacedItem) => string[];

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function intersects(p: PlacedItem, r: Rect): boolean {
  return p.x < r.x + r.width && p.x + p.width > r.x && p.y < r.y + r.height && p.y + p.height > r.y;
}

export class SvgRenderer {
  private nodeElements = new Map<string, SVGGElement>();
  /** Each node's incident edge paths, so a restyle touches only the edges around what changed. */
  private edgesByNode = new Map<string, SVGPathElement[]>();
  private structureClass = new Map<string, string>();
  private appliedClass = new Map<string, string>();
  private scene: Scene | null = null;
  private labelled = new Set<string>();

  constructor(private readonly layer: SVGGElement, private readonly structureClassesOf: (placed: PlacedItem) => string[]) {}

  /** Draws the scene; labels only for nodes inside `labelArea` (all when it is null). */
  render(scene: Scene, stateClassesOf: StateClassesOf, labelArea: Rect | null): void {
    this.scene = scene;
    this.structureClass.clear();
    this.appliedClass.clear();
    this.labelled.clear();
    for (const p of scene.items) {
      const structure = this.structureClassesOf(p).join(" ");
      const state = stateClassesOf(p).join(" ");
      this.structureClass.set(p.item.id, structure);
      this.appliedClass.set(p.item.id, state ? `${structure} ${state}` : structure);
    }
    const parts: string[] = ['<g class="clusters">'];
    for (const c of scene.clusters) {
      parts.push(
        `<g class="cluster level-${Math.min(c.level, 3)}" data-group="${escapeXml(c.groupId)}">` +
          `<rect x="${c.x}" y="${c.y}" width="${c.width}" height="${c.height}" rx="8"/>` +
          `<text class="cluster-label" x="${c.x + 8}" y="${c.y + 12}">▾ ${escapeXml(truncate(c.label, charsThatFit(c.width) + 4))}</text></g>`,
      );
    }
    parts.push('</g><g class="edges">');
    const pathOf = scene.edgeStyle === "orthogonal" ? orthogonalEdgePath : edgePath;
    // All arrowheads are one filled path: thousands of SVG markers are slow to paint.
    const arrowHeads: string[] = [];
    for (const e of scene.edges) {
      const flow = this.edgeFlowClasses(e.edge.from, e.edge.to);
      parts.push(
        `<path class="edge edge-${e.edge.kind}${flow}" data-from="${escapeXml(e.edge.from)}" data-to="${escapeXml(e.edge.to)}" d="${pathOf(e.points)}"/>`,
      );
      if (e.edge.kind !== "saved") arrowHeads.push(arrowHead(e.points));
    }
    parts.push(`<path class="arrow-heads" d="${arrowHeads.join("")}"/>`);
    parts.push('</g><g class="nodes">');
    for (const p of scene.items) {
      const withLabel = labelArea === null || intersects(p, labelArea);
      if (withLabel) this.labelled.add(p.item.id);
      parts.push(nodeMarkup(p, this.appliedClass.get(p.item.id)!, withLabel));
    }
    parts.push("</g>");
    this.layer.innerHTML = parts.join("");
    this.indexElements();
  }

  /**
   * Re-applies state classes (to `onlyIds` when given, else to every item); returns how
   * many items changed. Never touches geometry.
   */
  restyle(stateClassesOf: StateClassesOf, onlyIds?: Iterable<string>): number {
    if (!this.scene) return 0;
    const changedIds = new Set<string>();
    const scene = this.scene;
    const targets = onlyIds ? [...onlyIds].map((id) => scene.byId.get(id)).filter((p): p is PlacedItem => p !== undefined) : scene.items;
    for (const p of targets) {
      const id = p.item.id;
      const state = stateClassesOf(p).join(" ");
      const structure = this.structureClass.get(id)!;
      const cls = state ? `${structure} ${state}` : structure;
      if (this.appliedClass.get(id) === cls) continue;
      this.appliedClass.set(id, cls);
      this.nodeElements.get(id)?.setAttribute("class", cls);
      changedIds.add(id);
    }
    if (changedIds.size > 0) this.restyleEdges(changedIds);
    return changedIds.size;
  }

  /** Adds labels to unlabelled nodes inside `area`; returns how many were added. */
  ensureLabels(area: Rect | null): number {
    if (!this.scene) return 0;
    let added = 0;
    for (const p of this.scene.items) {
      if (this.labelled.has(p.item.id) || (area && !intersects(p, area))) continue;
      this.labelled.add(p.item.id);
      this.nodeElements.get(p.item.id)?.insertAdjacentHTML("beforeend", labelMarkup(p));
      added++;
    }
    return added;
  }

  ensureAllLabels(): void {
    this.ensureLabels(null);
  }

  /** Refreshes the per-stop `data | grad` lines (same structure, new values). */
  updateDetails(scene: Scene): void {
    this.scene = scene;
    for (const p of scene.items) {
      const text = this.nodeElements.get(p.item.id)?.querySelector("text.detail");
      if (text) text.textContent = truncate(p.label.detail, charsThatFit(p.width, DETAIL_CHAR_WIDTH));
    }
  }

  nodeElement(id: string): SVGGElement | undefined {
    return this.nodeElements.get(id);
  }

  private indexElements(): void {
    this.nodeElements.clear();
    for (const el of this.layer.querySelectorAll<SVGGElement>("g.node")) this.nodeElements.set(el.dataset.nodeId!, el);
    this.edgesByNode.clear();
    for (const path of this.layer.querySelectorAll<SVGPathElement>("path.edge")) {
      for (const id of [path.dataset.from!, path.dataset.to!]) {
        const paths = this.edgesByNode.get(id);
        if (paths) paths.push(path);
        else this.edgesByNode.set(id, [path]);
      }
    }
  }

  /** Edges leaving the current node glow; edges between finished nodes read as done. */
  private edgeFlowClasses(fromId: string, toId: string): string {
    const from = this.appliedClass.get(fromId) ?? "";
    const to = this.appliedClass.get(toId) ?? "";
    let classes = "";
    if (from.includes("bw-current")) classes += " flow-active";
    if (from.includes("bw-done") && (to.includes("bw-done") || to.includes("bw-current"))) classes += " flow-done";
    return classes;
  }

  private restyleEdges(onlyAround: ReadonlySet<string>): void {
    const paths = new Set<SVGPathElement>();
    for (const id of onlyAround) for (const path of this.edgesByNode.get(id) ?? []) paths.add(path);
    for (const path of paths) {
      const flow = this.edgeFlowClasses(path.dataset.from!, path.dataset.to!);
      path.classList.toggle("flow-active", flow.includes("flow-active"));
      path.classList.toggle("flow-done", flow.includes("flow-done"));
    }
  }
}

/** A filled triangle at the end of a polyline, pointing along its last segment. */
function arrowHead(points: readonly number[]): string {
  const n = points.length;
  if (n < 4) return "";
  const x = points[n - 2];
  const y = points[n - 1];
  let dx = x - points[n - 4];
  let dy = y - points[n - 3];
  const length = Math.hypot(dx, dy) || 1;
  dx /= length;
  dy /= length;
  const back = 7;
  const half = 3.5;
  const bx = x - dx * back;
  const by = y - dy * back;
  const r = (v: number) => Math.round(v * 10) / 10;
  return `M${r(x)},${r(y)}L${r(bx - dy * half)},${r(by + dx * half)}L${r(bx + dy * half)},${r(by - dx * half)}Z`;
}

function nodeMarkup(p: PlacedItem, cls: string, withLabel: boolean): string {
  const { width: w, height: h } = p;
  const id = escapeXml(p.item.id);
  return (
    `<g class="${cls}" data-node-id="${id}" transform="translate(${p.x},${p.y})">` +
    `<rect class="body" width="${w}" height="${h}" rx="${p.item.kind === "function" ? 14 : 6}"/>` +
    `<rect class="health" x="3" y="4" width="4" height="${h - 8}" rx="2"/>` +
    (withLabel ? labelMarkup(p) : "") +
    "</g>"
  );
}

function labelMarkup(p: PlacedItem): string {
  const { width: w, height: h } = p;
  const lines: string[] = [];
  const text = (kind: string, value: string, line: number, count: number) => {
    const y = h / 2 + (line - (count - 1) / 2) * LINE_HEIGHT + 4;
    const fit = kind === "title" ? charsThatFit(w) : charsThatFit(w, DETAIL_CHAR_WIDTH);
    lines.push(`<text class="${kind}" x="${w / 2}" y="${Math.round(y * 10) / 10}">${escapeXml(truncate(value, fit))}</text>`);
  };
  const rows = [["title", p.label.title]];
  if (p.label.subtitle) rows.push(["subtitle", p.label.subtitle]);
  if (p.item.kind === "tensor") rows.push(["detail", p.label.detail]);
  rows.forEach(([kind, value], i) => text(kind, value, i, rows.length));
  return lines.join("");
}
