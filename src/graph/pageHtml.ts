/**
 * The graph page's HTML. A pure function (no `vscode` import) so the webview tests and
 * the benchmark render exactly the page VS Code shows, served from a local test server.
 *
 * CSP: nothing by default; scripts only with the per-load nonce; styles, fonts and the
 * worker script fetch only from the extension's own resource origin; images only data:
 * (PNG export rasterises through a data: URL); workers only from blob: (the layout
 * worker is started from a blob because webview resources are cross-origin to the page).
 */

export interface GraphPageOptions {
  /** `webview.cspSource`: the origin webview resources are served from. */
  cspSource: string;
  /** Fresh random nonce for this page load (see createNonce). */
  nonce: string;
  scriptUri: string;
  workerUri: string;
  styleUri: string;
  /** How long ELK may run before the page cancels it and uses the fast layout (default 1500). */
  elkBudgetMs?: number;
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "worker-src blob:",
    `connect-src ${cspSource}`,
  ].join("; ");
}

export function renderGraphPageHtml(options: GraphPageOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(options.nonce)) throw new Error("nonce must be at least 16 url-safe characters");
  const a = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(options.styleUri)}">
<link rel="icon" href="data:,">
<title>Backward graph</title>
</head>
<body data-worker-url="${a(options.workerUri)}" data-elk-budget-ms="${Math.max(1, Math.round(options.elkBudgetMs ?? 1500))}">
<div id="toolbar" role="toolbar" aria-label="Graph tools">
  <input id="search" type="search" placeholder="Search nodes  /" aria-label="Search nodes by name">
  <span id="search-count" aria-live="polite"></span>
  <span class="spacer"></span>
  <button type="button" data-action="fit" title="Fit the graph to the view (F)">Fit</button>
  <button type="button" data-action="zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
  <button type="button" data-action="zoom-out" title="Zoom out (-)" aria-label="Zoom out">−</button>
  <button type="button" data-action="collapse-all" title="Collapse every module and repeated block">Collapse all</button>
  <button type="button" data-action="expand-all" title="Expand every module">Expand all</button>
  <span class="separator"></span>
  <button type="button" data-action="export-svg" title="Export the graph as SVG">SVG</button>
  <button type="button" data-action="export-png" title="Export the graph as PNG">PNG</button>
  <button type="button" data-action="export-dot" title="Export the graph as Graphviz DOT">DOT</button>
  <button type="button" data-action="legend" aria-pressed="true" title="Show or hide the legend">Legend</button>
</div>
<div id="banner" hidden></div>
<div id="stage">
  <svg id="graph" tabindex="0" role="application" aria-label="Backward graph. Arrow keys move between nodes, Enter reveals the forward source line, Space expands or collapses a group, F fits, slash searches.">
    <g id="layer"></g>
  </svg>
  <div id="empty">No backward graph yet. Stop at a breakpoint in a Gradscope debug session.</div>
  <div id="legend" aria-label="Legend"></div>
  <div id="tooltip" role="tooltip" hidden></div>
</div>
<div id="status" aria-live="polite"></div>
<div id="announce" class="visually-hidden" aria-live="polite"></div>
<script nonce="${a(options.nonce)}" src="${a(options.scriptUri)}"></script>
</body>
</html>
`;
}
