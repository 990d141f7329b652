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
import { GraphPanel } from "./graph/GraphPanel";
import { isGradscopeDebugPaused, registerStaticEditorFeatures } from "./editor/static/index";

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
        // Inside VS Code process.execPath is Electron: the env makes it run as plain Node.
        const { command, args, env } = externalAdapterCommand(distDir);
        return new vscode.DebugAdapterExecutable(command, args, { env });
      },
    }),
    vscode.commands.registerCommand("gradscope.debugCurrentFile", debugCurrentFile),
    vscode.commands.registerCommand("gradscope.openExample", async (name: string) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.join(context.extensionPath, "examples"));
      const file = vscode.Uri.joinPath(folder, typeof name === "string" ? path.basename(name) : "mlp-classifier.ts");
      await vscode.window.showTextDocument(file);
    }),
  );

  // While a Gradscope session is paused the debugger's hover answers instead of the static one.
  registerStaticEditorFeatures(context, { isDebugPaused: isGradscopeDebugPaused });

  const runtimeWarnings = new RuntimeWarnings();
  const output = vscode.window.createOutputChannel("Gradscope");
  const graphPanel = new GraphPanel({
    extensionUri: context.extensionUri,
    log: (line) => output.appendLine(line),
    elkBudgetMs: vscode.workspace.getConfiguration("gradscope").get<number>("graph.layoutTimeBudgetMs", 1500),
  });
  const graph = new GraphFollower(graphPanel);
  context.subscriptions.push(
    output,
    runtimeWarnings,
    graphPanel,
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
    vscode.commands.registerCommand("gradscope.graph.fit", () => graphPanel.fit()),
    vscode.commands.registerCommand("gradscope.graph.exportSvg", () => graphPanel.export("svg")),
    vscode.commands.registerCommand("gradscope.graph.exportPng", () => graphPanel.export("png")),
    vscode.commands.registerCommand("gradscope.graph.exportDot", () => graphPanel.export("dot")),
    vscode.languages.registerInlineValuesProvider({ language: "typescript" }, new TensorInlineValues()),
  );

  return { graph, runtimeWarnings };
}

export function deactivate(): void {}
