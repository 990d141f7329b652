/**
 * Zoom and pan of the graph layer (one transform on a <g>), fit-to-view, and gentle
 * "follow" scrolling that keeps the current backward node in view. At low zoom the
 * svg gets `lod-low`, which hides text: unreadable at that size and costly to paint.
 */
const MIN_SCALE = 0.02;
const MAX_SCALE = 4;
const LOW_DETAIL_BELOW = 0.35;
/** Below this zoom the first view shows the graph's start instead of all of it. */
const READABLE_SCALE = 0.6;
const ANIMATION_MS = 180;

export class Viewport {
  scale = 1;
  tx = 0;
  ty = 0;
  /** The automatic view last chosen (fit or start), until the user zooms or pans. */
  private automatic: (() => void) | null = null;
  /** Called after every change of zoom or pan (the renderer adds labels that came into view). */
  onChange: (() => void) | null = null;
  private contentWidth = 1;
  private contentHeight = 1;
  private animation = 0;

  constructor(private readonly svg: SVGSVGElement, private readonly layer: SVGGElement) {}

  setContent(width: number, height: number): void {
    this.contentWidth = Math.max(1, width);
    this.contentHeight = Math.max(1, height);
  }

  private get viewSize(): { width: number; height: number } {
    const box = this.svg.getBoundingClientRect();
    return { width: box.width || 800, height: box.height || 600 };
  }

  /** Fits the whole graph; small graphs are not blown up beyond 100 %. */
  fit(animate = false): void {
    const { width, height } = this.viewSize;
    const scale = clamp(Math.min((width - 24) / this.contentWidth, (height - 24) / this.contentHeight, 1), MIN_SCALE, MAX_SCALE);
    this.automatic = () => this.fit();
    this.moveTo(scale, (width - this.contentWidth * scale) / 2, Math.max(12, (height - this.contentHeight * scale) / 2), animate);
  }

  /**
   * The first view of a graph: everything if that is readable, otherwise the start of
   * the backward pass (the root, at the top) at a readable zoom; F still fits all.
   */
  showStart(root: { x: number; y: number; width: number } | null): void {
    const { width, height } = this.viewSize;
    const fitScale = Math.min((width - 24) / this.contentWidth, (height - 24) / this.contentHeight, 1);
    if (fitScale >= READABLE_SCALE || !root) {
      this.fit();
      this.automatic = () => this.showStart(root);
      return;
    }
    const scale = Math.max(READABLE_SCALE, Math.min(1, (width - 24) / this.contentWidth));
    this.automatic = () => this.showStart(root);
    this.moveTo(scale, width / 2 - (root.x + root.width / 2) * scale, 16 - root.y * scale + 8, false);
  }

  /** After a resize: recompute the automatic view, unless the user has moved it since. */
  refreshAutomaticView(): void {
    this.automatic?.();
  }

  zoomAt(factor: number, clientX?: number, clientY?: number): void {
    const box = this.svg.getBoundingClientRect();
    const cx = clientX === undefined ? box.width / 2 : clientX - box.left;
    const cy = clientY === undefined ? box.height / 2 : clientY - box.top;
    const scale = clamp(this.scale * factor, MIN_SCALE, MAX_SCALE);
    const k = scale / this.scale;
    this.automatic = null;
    this.moveTo(scale, cx - (cx - this.tx) * k, cy - (cy - this.ty) * k, false);
  }

  panBy(dx: number, dy: number): void {
    this.automatic = null;
    this.moveTo(this.scale, this.tx + dx, this.ty + dy, false);
  }

  /** Centres a graph-space box unless it is already comfortably inside the view. */
  reveal(x: number, y: number, width: number, height: number, options: { force?: boolean; minScale?: number } = {}): void {
    const view = this.viewSize;
    let scale = this.scale;
    if (options.minScale && scale < options.minScale) scale = options.minScale;
    const left = x * scale + this.tx;
    const top = y * scale + this.ty;
    const margin = 0.15;
    const inside =
      scale === this.scale &&
      left >= view.width * margin &&
      top >= view.height * margin &&
      left + width * scale <= view.width * (1 - margin) &&
      top + height * scale <= view.height * (1 - margin);
    if (inside && !options.force) return;
    this.moveTo(scale, view.width / 2 - (x + width / 2) * scale, view.height / 2 - (y + height / 2) * scale, true);
  }

  /** Graph-space rectangle currently visible (for exports of "the current view"). */
  visibleRect(): { x: number; y: number; width: number; height: number } {
    const view = this.viewSize;
    return { x: -this.tx / this.scale, y: -this.ty / this.scale, width: view.width / this.scale, height: view.height / this.scale };
  }

  private moveTo(scale: number, tx: number, ty: number, animate: boolean): void {
    cancelAnimationFrame(this.animation);
    if (!animate) {
      this.apply(scale, tx, ty);
      return;
    }
    const from = { scale: this.scale, tx: this.tx, ty: this.ty };
    const start = performance.now();
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / ANIMATION_MS);
      const ease = 1 - Math.pow(1 - t, 3);
      this.apply(from.scale + (scale - from.scale) * ease, from.tx + (tx - from.tx) * ease, from.ty + (ty - from.ty) * ease);
      if (t < 1) this.animation = requestAnimationFrame(step);
    };
    // The end state is applied logically at once so that callers see the target values.
    this.animation = requestAnimationFrame(step);
    this.scale = scale;
    this.tx = tx;
    this.ty = ty;
    this.updateDetailLevel(scale);
    this.onChange?.();
  }

  /** Whether labels are drawn at the current zoom. */
  get showsText(): boolean {
    return this.scale >= LOW_DETAIL_BELOW;
  }

  private apply(scale: number, tx: number, ty: number): void {
    this.layer.setAttribute("transform", `translate(${tx.toFixed(2)},${ty.toFixed(2)}) scale(${scale.toFixed(4)})`);
    this.scale = scale;
    this.tx = tx;
    this.ty = ty;
    this.updateDetailLevel(scale);
    this.onChange?.();
  }

  private updateDetailLevel(scale: number): void {
    this.svg.classList.toggle("lod-low", scale < LOW_DETAIL_BELOW);
  }
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
