/**
 * Keeps the graph panel in step with Gradscope debug sessions: asks the adapter for the
 * snapshot (custom request `gradscope.graph`) at every stop and on `gradscope.graphChanged`,
 * and opens the panel on a session's first stop when the setting says so.
 */
import * as vscode from "vscode";
import type { GraphPanel } from "./GraphPanel";
import { decodeGraphSnapshot } from "../protocol/compactSnapshot";
import { GRAPH_CHANGED_EVENT, GRAPH_REQUEST, type GraphChangedEventBody, type GraphRequestArguments, type GraphSnapshot } from "../protocol/graphSnapshot";

const DEFAULT_LIMIT = 5000;

export class GraphFollower implements vscode.Disposable {
  private readonly stoppedOnce = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The last snapshot shown, for tests and for re-opening the panel. */
  lastSnapshot: GraphSnapshot | null = null;
  private requestCounter = 0;

  constructor(private readonly panel: GraphPanel) {
    this.disposables.push(
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.type !== "gradscope" || event.event !== GRAPH_CHANGED_EVENT) return;
        // The adapter sends this right after every stop and backward step: the one refresh per stop.
        // (While running, or once ended, there is nothing newer to show.)
        const { reason } = event.body as GraphChangedEventBody;
        if (reason === "stopped" || reason === "backwardStep") void this.refresh(event.session);
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        this.stoppedOnce.delete(session.id);
        if (session.type === "gradscope" && this.panel.isOpen) this.panel.clear("The debug session ended.");
      }),
    );
  }

  /** Opens the panel on a session's first stop (if the setting says so); graphChanged does the refreshing. */
  async onStopped(session: vscode.DebugSession): Promise<void> {
    const firstStop = !this.stoppedOnce.has(session.id);
    this.stoppedOnce.add(session.id);
    if (!firstStop || this.panel.isOpen) return;
    if (!vscode.workspace.getConfiguration("gradscope").get<boolean>("graph.openOnFirstStop", true)) return;
    this.panel.show();
    // The graphChanged of this stop may have come before the panel existed.
    await this.refresh(session);
  }

  /** The `Gradscope: Show Backward Graph` command. */
  async show(): Promise<void> {
    this.panel.show(false);
    const session = vscode.debug.activeDebugSession;
    if (session?.type === "gradscope") await this.refresh(session);
    else if (this.lastSnapshot) this.panel.update(this.lastSnapshot);
  }

  private async refresh(session: vscode.DebugSession): Promise<void> {
    if (!this.panel.isOpen) return;
    const request = ++this.requestCounter;
    const args: GraphRequestArguments = { limit: DEFAULT_LIMIT };
    try {
      const snapshot = decodeGraphSnapshot(await session.customRequest(GRAPH_REQUEST, args));
      // A newer stop may have answered first; show only the latest.
      if (request !== this.requestCounter || !this.panel.isOpen) return;
      this.lastSnapshot = snapshot;
      this.panel.update(snapshot);
    } catch (error) {
      if (request === this.requestCounter) this.panel.clear(`No graph: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
