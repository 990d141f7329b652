/**
 * Activation: wires the debug adapter, the graph panel and the editor features into VS Code.
 * Each piece lives in its own folder; this file only connects them.
 */
import * as vscode from "vscode";
import * as path from "node:path";
import { chooseAdapterMode, createInlineSession, externalAdapterCommand } from "./debug/inlineAdapter";
import { GradscopeConfigurationProvider, debugCurrentFile } from "./editor/debugConfiguration";
import { RuntimeWarnings } from "./editor/runtimeWarnings";
import { TensorInlineValues } from "./editor/inlineValues";
import { GraphFollower } from "./graph/graphFollower";
import { createGraphPanel } from "./graph/graphPanel";

export interface GradscopeExtensionApi {
  /** For tests: the graph panel's latest snapshot size, the warnings shown, ... */
  graph: GraphFollower;
  runtimeWarnings: RuntimeWarnings;
}

export function activate(context: vscode.ExtensionContext): GradscopeExtensionApi {
  const distDir = path.join(context.extensionPath, "dist");

  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider("gradscope", new GradscopeConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider("gradscope", new GradscopeConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory("gradscope", {
      createDebugAdapterDescriptor() {
        const mode = chooseAdapterMode(vscode.workspace.getConfiguration("gradscope").get<string>("adapter.mode"));
        if (mode === "inline") return new vscode.DebugAdapterInlineImplementation(createInlineSession(distDir));
        const { command, args } = externalAdapterCommand(distDir);
        return new vscode.DebugAdapterExecutable(command, args);
      },
    }),
    vscode.commands.registerCommand("gradscope.debugCurrentFile", debugCurrentFile),
    vscode.commands.registerCommand("gradscope.openExample", async (name: string) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.join(context.extensionPath, "examples"));
      const file = vscode.Uri.joinPath(folder, typeof name === "string" ? path.basename(name) : "mlp-classifier.ts");
      await vscode.window.showTextDocument(file);
    }),
  );

  const runtimeWarnings = new RuntimeWarnings();
  const graph = new GraphFollower(() => createGraphPanel(context));
  context.subscriptions.push(
    runtimeWarnings,
    graph,
    vscode.debug.registerDebugAdapterTrackerFactory("gradscope", {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string; body?: unknown }) => {
          if (message.type !== "event") return;
          if (message.event === "output") runtimeWarnings.onOutput(session, message.body);
          if (message.event === "stopped") void graph.onStopped(session);
        },
      }),
    }),
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type === "gradscope") runtimeWarnings.clear();
    }),
    vscode.commands.registerCommand("gradscope.showGraph", () => graph.show()),
    vscode.languages.registerInlineValuesProvider({ language: "typescript" }, new TensorInlineValues()),
  );

  return { graph, runtimeWarnings };
}

export function deactivate(): void {}
