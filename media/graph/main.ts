/**
 * Graph page entry: finds the page's elements, wires input (toolbar, mouse, wheel,
 * keyboard, search, host messages) to GraphApp, and tells the host it is ready.
 */
import { isHostToWebviewMessage } from "../../src/protocol/webviewMessages";
import { GraphApp } from "./app";
import { Tooltip } from "./interaction/tooltip";
import { neighbourInDirection, type Direction } from "./interaction/navigation";
import { buildLegend } from "./legend";
import { postToHost } from "./vscodeApi";

declare global {
  interface Window {
    __gradscope?: GraphApp;
  }
}

function byId<T extends Element>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`graph page is missing #${id}`);
  return element as unknown as T;
}

const svg = byId<SVGSVGElement>("graph");
const app = new GraphApp(
  {
    svg,
    layer: byId<SVGGElement>("layer"),
    empty: byId<HTMLElement>("empty"),
    banner: byId<HTMLElement>("banner"),
    status: byId<HTMLElement>("status"),
    searchCount: byId<HTMLElement>("search-count"),
    announce: byId<HTMLElement>("announce"),
  },
  document.body.dataset.workerUrl || null,
  Number(document.body.dataset.elkBudgetMs) || undefined,
);
// Tests and the benchmark read timings and state from here; nothing secret lives in it.
window.__gradscope = app;
const tooltip = new Tooltip(byId<HTMLElement>("tooltip"));
const search = byId<HTMLInputElement>("search");
const legend = byId<HTMLElement>("legend");
app.onRender = () => tooltip.hide();
buildLegend(legend);
// In a side panel the legend would cover the graph: start it hidden there (the Legend button shows it).
const NARROW_PANEL_PX = 900;
if (window.innerWidth < NARROW_PANEL_PX) {
  legend.hidden = true;
  document.querySelector('[data-action="legend"]')?.setAttribute("aria-pressed", "false");
}

window.addEventListener("message", (event: MessageEvent) => {
  if (isHostToWebviewMessage(event.data)) void app.handleMessage(event.data);
});
window.addEventListener("error", (event) => app.reportError(`${event.message} (${event.filename}:${event.lineno})`, false));

// ---------------------------------------------------------------- toolbar

const actions: Record<string, () => unknown> = {
  fit: () => app.viewport.fit(true),
  "zoom-in": () => app.viewport.zoomAt(1.25),
  "zoom-out": () => app.viewport.zoomAt(0.8),
  "collapse-all": () => app.collapseAll(),
  "expand-all": () => app.expandAll(),
  "export-svg": () => app.export("svg"),
  "export-png": () => app.export("png"),
  "export-dot": () => app.export("dot"),
  legend: () => {
    legend.hidden = !legend.hidden;
    document.querySelector('[data-action="legend"]')?.setAttribute("aria-pressed", String(!legend.hidden));
  },
};
byId<HTMLElement>("toolbar").addEventListener("click", (event) => {
  const action = (event.target as Element).closest<HTMLElement>("[data-action]")?.dataset.action;
  if (action && actions[action]) void actions[action]();
});

search.addEventListener("input", () => app.search(search.value));
search.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    void app.nextSearchHit();
  } else if (event.key === "Escape") {
    search.value = "";
    app.search("");
    svg.focus();
  }
});

// ---------------------------------------------------------------- pointer

function itemIdAt(target: EventTarget | null): string | null {
  return (target as Element | null)?.closest?.<SVGGElement>("g.node")?.dataset.nodeId ?? null;
}

let drag: { x: number; y: number; moved: boolean } | null = null;
svg.addEventListener("pointerdown", (event) => {
  if (event.button !== 0) return;
  drag = { x: event.clientX, y: event.clientY, moved: false };
});
svg.addEventListener("pointermove", (event) => {
  if (drag && (event.buttons & 1) === 1) {
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (drag.moved || Math.abs(dx) + Math.abs(dy) > 3) {
      if (!drag.moved) svg.setPointerCapture(event.pointerId);
      drag.moved = true;
      app.viewport.panBy(dx, dy);
      drag.x = event.clientX;
      drag.y = event.clientY;
      tooltip.hide();
    }
    return;
  }
  const id = itemIdAt(event.target);
  const rows = id ? app.tooltipFor(id) : null;
  if (rows) tooltip.show(rows, event.clientX, event.clientY);
  else tooltip.hide();
});
svg.addEventListener("pointerleave", () => tooltip.hide());
svg.addEventListener("click", (event) => {
  const wasDrag = drag?.moved;
  drag = null;
  if (wasDrag) return;
  const cluster = (event.target as Element).closest<SVGGElement>("g.cluster");
  if (cluster && (event.target as Element).classList.contains("cluster-label")) {
    void app.toggleGroup(cluster.dataset.group!);
    return;
  }
  const id = itemIdAt(event.target);
  if (id) void app.activate(id);
});
svg.addEventListener(
  "wheel",
  (event) => {
    event.preventDefault();
    tooltip.hide();
    // Pinch gestures and ctrl+wheel arrive as ctrlKey wheels with small deltas.
    const factor = Math.exp(-event.deltaY * (event.ctrlKey ? 0.01 : 0.0015));
    app.viewport.zoomAt(factor, event.clientX, event.clientY);
  },
  { passive: false },
);

// ---------------------------------------------------------------- keyboard

const ARROWS: Record<string, Direction> = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };
svg.addEventListener("keydown", (event) => {
  const scene = app.scene;
  if (!scene) return;
  const direction = ARROWS[event.key];
  if (direction) {
    event.preventDefault();
    const from = app.focusedId ?? scene.items[0]?.item.id;
    if (!from) return;
    const to = app.focusedId ? neighbourInDirection(scene, from, direction) : from;
    if (to) app.focus(to);
    return;
  }
  const focused = app.focusedId;
  switch (event.key) {
    case "Enter":
      if (focused) void app.activate(focused);
      break;
    case " ":
      if (focused) {
        const item = app.visible?.itemById.get(focused);
        void (item?.kind === "group" ? app.toggleGroup(focused) : app.collapseAround(focused));
      }
      break;
    case "c":
      if (focused) void app.collapseAround(focused);
      break;
    case "f":
    case "F":
      app.viewport.fit(true);
      break;
    case "+":
    case "=":
      app.viewport.zoomAt(1.25);
      break;
    case "-":
      app.viewport.zoomAt(0.8);
      break;
    case "/":
      search.focus();
      break;
    case "Escape":
      tooltip.hide();
      break;
    default:
      return;
  }
  event.preventDefault();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "/" && document.activeElement !== search) {
    event.preventDefault();
    search.focus();
  }
});

// A panel that opened hidden or was resized keeps showing the whole graph, unless the
// user has zoomed or panned since.
window.addEventListener("resize", () => app.viewport.refreshAutomaticView());

postToHost({ type: "ready" });
