/**
 * The graph page's state and its update paths:
 *  - a new snapshot with a new structure: group, lay out (worker), render, fit; while the
 *    worker is still starting, the fast layout is drawn at once and ELK's replaces it;
 *  - a snapshot with the same structure (next stop, values changed): reuse the layout,
 *    refresh labels and restyle — positions never move;
 *  - a backward-state update: restyle only, and follow the current node.
 */
import type { BackwardPassState, GraphSnapshot } from "../../src/protocol/graphSnapshot";
import type { ExportFormat, HostToWebviewMessage } from "../../src/protocol/webviewMessages";
import { exportSvg, svgToPng } from "./export/svgExport";
import { toDot } from "./export/dotExport";
import { LayoutCancelledError, LayoutClient, type LayoutOutcome } from "./layout/layoutClient";
import { buildGraphIndex, type GraphIndex } from "./model/graphIndex";
import { buildGroupTree, type GroupTree } from "./model/grouping";
import { tooltipRows } from "./model/labels";
import { backwardLookup, changedBackwardIds, stateClasses, structureClasses, type BackwardLookup } from "./model/styleClasses";
import { computeVisibleGraph, defaultExpansion, EXPAND_ALL_BUDGET, expandLevelsWithin, type VisibleGraph } from "./model/visibleGraph";
import { buildScene, planLayout, type PlacedItem, type Scene } from "./render/scene";
import { SvgRenderer } from "./render/svgRenderer";
import { Viewport } from "./render/viewport";
import { findMatches } from "./interaction/search";
import { postToHost } from "./vscodeApi";

export interface PageElements {
  svg: SVGSVGElement;
  layer: SVGGElement;
  empty: HTMLElement;
  banner: HTMLElement;
  status: HTMLElement;
  searchCount: HTMLElement;
  /** Screen-reader announcements of the focused node (keyboard navigation). */
  announce: HTMLElement;
}

/** Timings the benchmark and tests read (window.__gradscope.stats). */
export interface RenderStat {
  kind: "render" | "restyle" | "details";
  generation: number;
  nodes: number;
  layoutAlgorithm?: string;
  layoutMs?: number;
  fellBack?: boolean;
  /** Drawn with the fast layout while ELK's worker was starting (see LayoutClient.provisionalLayout). */
  provisional?: boolean;
  /** performance.now() when the page finished (after the next paint for renders). */
  finishedAt: number;
  /** performance.now() after the next paint following a restyle. */
  paintedAt?: number;
  /** Where a render's time went, in ms (index, group, visible, plan, layout, draw, paint). */
  phases?: Record<string, number>;
  durationMs: number;
}

const LAYOUT_CACHE_SIZE = 12;

export class GraphApp {
  snapshot: GraphSnapshot | null = null;
  index: GraphIndex | null = null;
  tree: GroupTree | null = null;
  visible: VisibleGraph | null = null;
  scene: Scene | null = null;
  readonly viewport: Viewport;
  focusedId: string | null = null;
  readonly stats: RenderStat[] = [];
  /** Called after each full render (the page hides a tooltip that points at old geometry). */
  onRender: (() => void) | null = null;

  private lookup: BackwardLookup = { current: null, done: new Set(), pending: new Set() };
  private expanded = new Set<string>();
  private userExpanded = new Set<string>();
  private userCollapsed = new Set<string>();
  private structureKey = "";
  /** Set when a snapshot with a different graph arrives: its first render picks the view. */
  private newStructure = false;
  private renderedKey = "";
  /** The drawn layout is provisional: ELK's replaces it once its worker is up. */
  private renderedProvisional = false;
  private awaitingWorker = false;
  private layoutCache = new Map<string, LayoutOutcome>();
  private readonly renderer: SvgRenderer;
  private readonly layout: LayoutClient;
  private searchQuery = "";
  private searchHits: string[] = [];
  private searchCursor = -1;
  private updateChain: Promise<void> = Promise.resolve();

  constructor(private readonly elements: PageElements, workerUrl: string | null, elkBudgetMs?: number) {
    this.viewport = new Viewport(elements.svg, elements.layer);
    this.viewport.onChange = () => this.onViewChanged();
    this.renderer = new SvgRenderer(elements.layer, (p) => structureClasses(p.item));
    this.layout = new LayoutClient(workerUrl, (message) => this.reportError(message, false), elkBudgetMs);
    this.layout.warmUp();
  }

  /** Messages are applied strictly in order, even though layout is asynchronous. */
  handleMessage(message: HostToWebviewMessage): Promise<void> {
    if (message.type === "snapshot") this.layout.cancelPending();
    this.updateChain = this.updateChain
      .then(() => this.apply(message))
      .catch((error) => {
        if (!(error instanceof LayoutCancelledError)) this.reportError(`graph update failed: ${(error as Error).stack ?? error}`, true);
      });
    return this.updateChain;
  }

  private async apply(message: HostToWebviewMessage): Promise<void> {
    switch (message.type) {
      case "snapshot":
        return this.setSnapshot(message.snapshot);
      case "backwardState":
        return this.setBackward(message.backward, message.generation);
      case "clear":
        this.clear(message.reason);
        return;
      case "command":
        if (message.command === "fit") this.viewport.fit(true);
        else if (message.command === "expandAll") return this.expandAll();
        else if (message.command === "collapseAll") return this.collapseAll();
        else if (message.command === "export") return this.export(message.format ?? "svg");
    }
  }

  private async setSnapshot(snapshot: GraphSnapshot): Promise<void> {
    const phase = phaseTimer();
    this.snapshot = snapshot;
    this.index = buildGraphIndex(snapshot);
    phase("index");
    // Hits refer to graph node ids: recompute them against the new graph.
    if (this.searchQuery) this.searchHits = findMatches(this.index, this.searchQuery);
    const key = structureKeyOf(snapshot);
    if (key !== this.structureKey || !this.tree) {
      this.structureKey = key;
      this.newStructure = true;
      this.tree = buildGroupTree(this.index);
      const defaults = defaultExpansion(this.index, this.tree);
      this.expanded = new Set([...defaults, ...[...this.userExpanded].filter((g) => this.tree!.groups.has(g))].filter((g) => !this.userCollapsed.has(g)));
    }
    phase("group");
    this.lookup = backwardLookup(snapshot.backward);
    this.showBanner(snapshot);
    await this.refresh(snapshot.generation, { phases: phase.done() });
    this.followCurrent();
  }

  private async setBackward(state: BackwardPassState, generation: number): Promise<void> {
    if (!this.snapshot) return;
    const started = performance.now();
    this.snapshot = { ...this.snapshot, backward: state, generation };
    const before = this.lookup;
    this.lookup = backwardLookup(state);
    // Only items standing for nodes whose mark changed are restyled: O(change), not O(graph).
    const items = new Set<string>();
    for (const id of changedBackwardIds(before, this.lookup)) {
      const shown = this.visible?.representativeOf.get(id);
      if (shown) items.add(shown);
    }
    this.renderer.restyle(this.stateClassesOf, items);
    this.followCurrent();
    const stat: RenderStat = { kind: "restyle", generation, nodes: this.scene?.items.length ?? 0, finishedAt: performance.now(), durationMs: performance.now() - started };
    this.stats.push(stat);
    void nextPaint().then(() => (stat.paintedAt = performance.now()));
    bump("restyleCount");
  }

  private labelsFollowView = false;
  private labelFrame = 0;

  /** The view plus half a screen around it; nothing at all when text is hidden by zoom. */
  private labelArea() {
    if (!this.viewport.showsText) return { x: 0, y: 0, width: 0, height: 0 };
    const r = this.viewport.visibleRect();
    return { x: r.x - r.width / 2, y: r.y - r.height / 2, width: r.width * 2, height: r.height * 2 };
  }

  private onViewChanged(): void {
    if (!this.labelsFollowView || this.labelFrame) return;
    this.labelFrame = requestAnimationFrame(() => {
      this.labelFrame = 0;
      this.renderer.ensureLabels(this.labelArea());
    });
  }

  private readonly stateClassesOf = (p: PlacedItem) => stateClasses(p.item, this.index!, this.lookup);

  /** Recomputes what is visible; lays out only when the visible structure changed. */
  private async refresh(generation: number, options: { fit?: boolean; phases?: Record<string, number> } = {}): Promise<void> {
    const started = performance.now();
    const phase = phaseTimer(options.phases);
    const index = this.index!;
    const tree = this.tree!;
    this.visible = computeVisibleGraph(index, tree, this.expanded);
    phase("visible");
    const plan = planLayout(this.visible, tree);
    phase("plan");
    this.elements.empty.hidden = index.snapshot.nodes.length > 0;
    const cached = this.layoutCache.get(plan.key);
    if (plan.key === this.renderedKey && this.scene && cached) {
      this.scene = buildScene(this.visible, plan, cached.geometry, tree);
      this.renderer.updateDetails(this.scene);
      this.renderer.restyle(this.stateClassesOf);
      this.stats.push({ kind: "details", generation, nodes: this.scene.items.length, finishedAt: performance.now(), durationMs: performance.now() - started });
      bump("restyleCount");
      return;
    }
    // Not laid out yet while ELK's worker starts: the fast layout, drawn (not cached) until ELK's replaces it.
    let outcome = cached ?? this.layout.provisionalLayout(plan.input) ?? undefined;
    if (outcome?.provisional) this.relayoutWhenWorkerReady();
    if (!outcome) {
      this.setStatus(`Laying out ${plan.input.nodes.length} nodes…`);
      outcome = await this.layout.layout(plan.input);
      this.layoutCache.set(plan.key, outcome);
      if (this.layoutCache.size > LAYOUT_CACHE_SIZE) this.layoutCache.delete(this.layoutCache.keys().next().value!);
    }
    phase("layout");
    const firstOfStructure = this.newStructure;
    this.newStructure = false;
    this.scene = buildScene(this.visible, plan, outcome.geometry, tree);
    // Place the view first, so that only the labels in view are drawn.
    this.labelsFollowView = false;
    this.viewport.setContent(outcome.geometry.width, outcome.geometry.height);
    if (options.fit) this.viewport.fit();
    else if (firstOfStructure) this.viewport.showStart(this.rootPlacement());
    this.renderer.render(this.scene, this.stateClassesOf, this.labelArea());
    this.onRender?.();
    this.labelsFollowView = true;
    phase("draw");
    this.renderedKey = plan.key;
    this.renderedProvisional = outcome.provisional === true;
    this.applySearchClasses();
    if (this.focusedId && !this.scene.byId.has(this.focusedId)) this.focusedId = null;
    this.markFocus();
    const snapshot = index.snapshot;
    this.setStatus(
      `${this.scene.items.length} of ${snapshot.nodes.length} nodes shown · ${this.scene.edges.length} edges · ` +
        `layout ${outcome.algorithm}${outcome.provisional ? " while ELK starts" : ""}${outcome.fellBack ? " (ELK ran long)" : ""} ${Math.round(outcome.elapsedMs)} ms`,
    );
    phase("chrome");
    await nextPaint();
    phase("paint");
    this.stats.push({
      kind: "render", generation, nodes: this.scene.items.length, layoutAlgorithm: outcome.algorithm,
      layoutMs: outcome.elapsedMs, fellBack: outcome.fellBack, provisional: outcome.provisional, finishedAt: performance.now(), durationMs: performance.now() - started,
      phases: phase.done(),
    });
    bump("renderCount");
  }

  /** After a provisional render: once ELK's worker is up, lays out what is drawn again, with ELK. */
  private relayoutWhenWorkerReady(): void {
    if (this.awaitingWorker) return;
    this.awaitingWorker = true;
    void this.layout.whenWorkerReady().then((ready) => {
      this.awaitingWorker = false;
      if (!ready) return;
      return this.enqueue(async () => {
        if (!this.snapshot || !this.renderedProvisional) return;
        // Every position moves: place the view as a graph's first render does.
        this.newStructure = true;
        await this.refresh(this.snapshot.generation);
      });
    });
  }

  private rootPlacement(): PlacedItem | null {
    const rootId = this.snapshot?.rootIds[0];
    const shown = rootId ? this.visible?.representativeOf.get(rootId) : undefined;
    return (shown && this.scene?.byId.get(shown)) || this.scene?.items[0] || null;
  }

  // ------------------------------------------------------------ collapse / expand

  isExpanded(groupId: string): boolean {
    return this.expanded.has(groupId);
  }

  toggleGroup(groupId: string): Promise<void> {
    return this.enqueue(async () => {
      if (!this.tree?.groups.has(groupId)) return;
      if (this.expanded.has(groupId)) {
        this.expanded.delete(groupId);
        this.userCollapsed.add(groupId);
        this.userExpanded.delete(groupId);
      } else {
        this.expanded.add(groupId);
        this.userExpanded.add(groupId);
        this.userCollapsed.delete(groupId);
      }
      await this.refresh(this.snapshot!.generation);
      const shown = this.visible!.representativeOf.get(this.tree.groups.get(groupId)!.memberIds[0]);
      if (shown) this.focus(shown, false);
    });
  }

  /** Collapses the innermost expanded group around a visible node (keyboard "c"). */
  collapseAround(itemId: string): Promise<void> {
    const chain = this.tree?.chainOf.get(itemId) ?? (this.tree?.groups.get(itemId)?.parentId ? [this.tree.groups.get(itemId)!.parentId!] : []);
    const innermost = [...chain].reverse().find((g) => this.expanded.has(g));
    return innermost ? this.toggleGroup(innermost) : Promise.resolve();
  }

  expandAll(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.tree || !this.index) return;
      this.expanded = expandLevelsWithin(this.index, this.tree, EXPAND_ALL_BUDGET);
      this.userCollapsed.clear();
      await this.refresh(this.snapshot!.generation, { fit: true });
      if (this.expanded.size < this.tree.groups.size) {
        this.setStatus(`${this.elements.status.textContent} · expanded as far as ${EXPAND_ALL_BUDGET} nodes; open deeper groups one by one`);
      }
    });
  }

  collapseAll(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.tree) return;
      this.expanded = new Set();
      this.userExpanded.clear();
      for (const g of this.tree.groups.keys()) this.userCollapsed.add(g);
      await this.refresh(this.snapshot!.generation, { fit: true });
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.updateChain = this.updateChain.then(task).catch((error) => {
      if (!(error instanceof LayoutCancelledError)) this.reportError(`graph update failed: ${(error as Error).stack ?? error}`, true);
    });
    return this.updateChain;
  }

  // ------------------------------------------------------------ focus, reveal, follow

  focus(itemId: string, scroll = true): void {
    this.focusedId = itemId;
    this.markFocus();
    const p = this.scene?.byId.get(itemId);
    if (p) this.elements.announce.textContent = [p.label.title.replace(/^▸ /, "group "), p.label.subtitle, p.label.detail].filter(Boolean).join(", ");
    if (p && scroll) this.viewport.reveal(p.x, p.y, p.width, p.height);
  }

  private markFocus(): void {
    this.elements.layer.querySelector(".node.focused")?.classList.remove("focused");
    if (this.focusedId) this.renderer.nodeElement(this.focusedId)?.classList.add("focused");
  }

  /** Click or Enter: groups expand, nodes reveal their forward source line. */
  activate(itemId: string): Promise<void> {
    const item = this.visible?.itemById.get(itemId);
    if (!item) return Promise.resolve();
    this.focus(itemId, false);
    if (item.kind === "group") return this.toggleGroup(itemId);
    if (item.node.forwardLocation) postToHost({ type: "reveal", nodeId: item.node.id, location: item.node.forwardLocation });
    else this.setStatus(`${item.node.name} has no recorded forward location.`);
    return Promise.resolve();
  }

  tooltipFor(itemId: string): Array<[string, string]> | null {
    const item = this.visible?.itemById.get(itemId);
    return item ? tooltipRows(item) : null;
  }

  private followCurrent(): void {
    const current = this.lookup.current;
    if (!current || !this.visible || !this.scene) return;
    const shown = this.visible.representativeOf.get(current);
    const p = shown ? this.scene.byId.get(shown) : undefined;
    // Follow at a readable zoom: text is hidden below 0.35.
    if (p) this.viewport.reveal(p.x, p.y, p.width, p.height, { minScale: 0.5 });
  }

  // ------------------------------------------------------------ search

  search(query: string): void {
    this.searchQuery = query;
    this.searchHits = this.index ? findMatches(this.index, query) : [];
    this.searchCursor = -1;
    this.applySearchClasses();
    this.elements.searchCount.textContent = query.trim() ? `${this.searchHits.length} found` : "";
  }

  /** Enter in the search box: go to the next hit, expanding its groups if needed. */
  async nextSearchHit(): Promise<void> {
    if (!this.searchHits.length || !this.tree) return;
    this.searchCursor = (this.searchCursor + 1) % this.searchHits.length;
    const hit = this.searchHits[this.searchCursor];
    const hidden = this.tree.chainOf.get(hit)!.filter((g) => !this.expanded.has(g));
    if (hidden.length) {
      await this.enqueue(async () => {
        for (const g of hidden) this.expanded.add(g);
        await this.refresh(this.snapshot!.generation);
      });
    }
    this.focus(hit);
    this.elements.searchCount.textContent = `${this.searchCursor + 1} of ${this.searchHits.length}`;
  }

  private applySearchClasses(): void {
    const layer = this.elements.layer;
    for (const el of layer.querySelectorAll(".search-match")) el.classList.remove("search-match");
    this.elements.svg.classList.toggle("searching", this.searchHits.length > 0);
    for (const hit of this.searchHits) {
      const shown = this.visible?.representativeOf.get(hit);
      if (shown) this.renderer.nodeElement(shown)?.classList.add("search-match");
    }
  }

  // ------------------------------------------------------------ export

  async export(format: ExportFormat): Promise<void> {
    if (!this.scene) return;
    const { svg, layer } = this.elements;
    const base = "backward-graph";
    if (format === "dot") {
      postToHost({ type: "export", format, content: toDot(this.scene), suggestedName: `${base}.dot` });
      return;
    }
    this.renderer.ensureAllLabels();
    const text = exportSvg(svg, layer, this.scene.width, this.scene.height);
    if (format === "svg") postToHost({ type: "export", format, content: text, suggestedName: `${base}.svg` });
    else postToHost({ type: "export", format, content: await svgToPng(text, this.scene.width, this.scene.height), suggestedName: `${base}.png` });
  }

  // ------------------------------------------------------------ page chrome

  private clear(reason: string): void {
    this.layout.cancelPending();
    this.snapshot = null;
    this.index = null;
    this.tree = null;
    this.visible = null;
    this.scene = null;
    this.renderedKey = "";
    this.renderedProvisional = false;
    this.structureKey = "";
    this.elements.layer.replaceChildren();
    this.elements.empty.textContent = reason || "No backward graph.";
    this.elements.empty.hidden = false;
    this.elements.banner.hidden = true;
    this.setStatus("");
  }

  private showBanner(snapshot: GraphSnapshot): void {
    const banner = this.elements.banner;
    banner.hidden = !snapshot.truncated;
    banner.textContent = snapshot.truncated ? `Showing ${snapshot.nodes.length} of ${snapshot.totalNodes} nodes: the graph was cut at the node limit.` : "";
  }

  setStatus(text: string): void {
    this.elements.status.textContent = text;
  }

  reportError(message: string, visible: boolean): void {
    if (visible) this.setStatus(message.split("\n")[0]);
    postToHost({ type: "error", message });
  }
}

/** Same nodes, edges, names and shapes: the picture can be restyled instead of re-laid out. */
function structureKeyOf(snapshot: GraphSnapshot): string {
  const nodes = snapshot.nodes.map((n) => (n.kind === "tensor" ? `${n.id}:${n.name}:${n.role}:${n.shape.join("x")}:${n.modulePath ?? ""}` : `${n.id}:${n.name}:${n.modulePath ?? ""}`));
  return nodes.join(",") + "|" + snapshot.edges.map((e) => `${e.from}>${e.to}:${e.kind}`).join(",");
}

/** Records the time since the previous call under a name; `done()` returns the record. */
function phaseTimer(phases: Record<string, number> = {}) {
  let last = performance.now();
  const mark = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round((now - last) * 10) / 10;
    last = now;
  };
  return Object.assign(mark, { done: () => phases });
}

function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function bump(counter: "renderCount" | "restyleCount"): void {
  document.body.dataset[counter] = String(Number(document.body.dataset[counter] ?? "0") + 1);
}
