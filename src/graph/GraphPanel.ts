/**
 * The backward-graph webview panel: creates it (strict CSP, resources only from
 * dist/webview and media), feeds it snapshots and backward-state updates, and acts on
 * validated messages from it (reveal a forward source line, save an export).
 * Independent of the debug session: the extension decides when to call update().
 */
import * as vscode from "vscode";
import type { GraphSnapshot } from "../protocol/graphSnapshot";
import type { ExportFormat, ExportMessage, HostToWebviewMessage, RevealMessage } from "../protocol/webviewMessages";
import { createNonce } from "./nonce";
import { renderGraphPageHtml } from "./pageHtml";
import { exportBytes, WebviewMessageRouter } from "./webviewMessageRouter";

export interface GraphPanelOptions {
  extensionUri: vscode.Uri;
  /** Where invalid messages and page errors are reported (an output channel's appendLine). */
  log?: (message: string) => void;
  /** Milliseconds ELK may run before the page falls back to the fast layout. */
  elkBudgetMs?: number;
}

const EXPORT_FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  svg: { "SVG image": ["svg"] },
  png: { "PNG image": ["png"] },
  dot: { "Graphviz DOT": ["dot", "gv"] },
};

export class GraphPanel implements vscode.Disposable {
  static readonly viewType = "gradscope.backwardGraph";

  private panel: vscode.WebviewPanel | undefined;
  private pageReady = false;
  private latest: GraphSnapshot | undefined;
  private readonly router: WebviewMessageRouter;
  private readonly panelDisposables: vscode.Disposable[] = [];

  constructor(private readonly options: GraphPanelOptions) {
    this.router = new WebviewMessageRouter({
      ready: () => this.onPageReady(),
      reveal: (message) => this.reveal(message),
      export: (message) => this.saveExport(message),
      log: (message) => this.options.log?.(message),
    });
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the panel beside the editor, or brings it forward. */
  show(preserveFocus = true): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const root = this.options.extensionUri;
    const panel = vscode.window.createWebviewPanel(
      GraphPanel.viewType,
      "Backward Graph",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      {
        enableScripts: true,
        enableCommandUris: false,
        enableFindWidget: false,
        localResourceRoots: [vscode.Uri.joinPath(root, "dist", "webview"), vscode.Uri.joinPath(root, "media")],
        // Keeps zoom, expanded modules and the laid-out graph while the tab is hidden;
        // re-laying out a large graph on every tab switch would cost more than the memory.
        retainContextWhenHidden: true,
      },
    );
    panel.iconPath = vscode.Uri.joinPath(root, "media", "graph", "icon.svg");
    const webview = panel.webview;
    this.pageReady = false;
    webview.html = renderGraphPageHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, "dist", "webview", "graph.js")).toString(),
      workerUri: webview.asWebviewUri(vscode.Uri.joinPath(root, "dist", "webview", "layoutWorker.js")).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, "media", "graph", "graph.css")).toString(),
      elkBudgetMs: this.options.elkBudgetMs,
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.router.handle(raw)),
      panel.onDidDispose(() => this.onPanelClosed()),
    );
    this.panel = panel;
  }

  /** A new snapshot (every stop). The page restyles instead of re-laying out when only values changed. */
  update(snapshot: GraphSnapshot): void {
    this.latest = snapshot;
    this.router.rememberSnapshot(snapshot);
    this.post({ type: "snapshot", snapshot });
  }

  /** The session ended: show why instead of a stale graph. */
  clear(reason = "The debug session ended."): void {
    this.latest = undefined;
    this.router.rememberSnapshot(undefined);
    this.post({ type: "clear", reason });
  }

  fit(): void {
    this.post({ type: "command", command: "fit" });
  }

  export(format: ExportFormat): void {
    this.post({ type: "command", command: "export", format });
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private post(message: HostToWebviewMessage): void {
    // Before "ready" the page is not listening yet; the latest snapshot is sent on ready.
    if (this.panel && this.pageReady) void this.panel.webview.postMessage(message);
  }

  private onPageReady(): void {
    this.pageReady = true;
    if (this.latest) this.post({ type: "snapshot", snapshot: this.latest });
  }

  private onPanelClosed(): void {
    for (const d of this.panelDisposables.splice(0)) d.dispose();
    this.panel = undefined;
    this.pageReady = false;
  }

  private async reveal(message: RevealMessage): Promise<void> {
    const { path, line, column } = message.location;
    const uri = /^[a-z][a-z0-9+.-]+:\/\//i.test(path) ? vscode.Uri.parse(path) : vscode.Uri.file(path);
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
      await vscode.window.showTextDocument(document, {
        viewColumn: vscode.ViewColumn.One,
        preserveFocus: false,
        selection: new vscode.Range(position, position),
      });
    } catch (error) {
      this.options.log?.(`graph: could not open ${path}: ${(error as Error).message}`);
    }
  }

  private async saveExport(message: ExportMessage): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, message.suggestedName) : undefined,
      filters: EXPORT_FILTERS[message.format],
      saveLabel: `Export ${message.format.toUpperCase()}`,
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, exportBytes(message));
    void vscode.window.showInformationMessage(`Backward graph exported to ${vscode.workspace.asRelativePath(target)}`);
  }
}
