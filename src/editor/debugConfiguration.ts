/** F5 with no launch.json debugs the open .ts file; snippets and dynamic configurations. */
import * as vscode from "vscode";

const DEBUGGABLE = new Set(["typescript", "javascript", "typescriptreact"]);

function currentFileConfiguration(): vscode.DebugConfiguration | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !DEBUGGABLE.has(editor.document.languageId) || editor.document.uri.scheme !== "file") return undefined;
  const file = editor.document.uri.fsPath;
  const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
  return {
    type: "gradscope",
    request: "launch",
    name: `Gradscope: ${vscode.workspace.asRelativePath(file)}`,
    program: file,
    cwd: folder?.uri.fsPath ?? require("node:path").dirname(file),
  };
}

export class GradscopeConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const current = currentFileConfiguration();
    return current ? [current] : [];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    // F5 with no launch.json arrives here as an empty configuration.
    if (!config.type && !config.request && !config.name) {
      const current = currentFileConfiguration();
      if (!current) {
        void vscode.window.showInformationMessage("Gradscope: open a TypeScript program to debug it (or add a launch configuration).");
        return undefined;
      }
      return current;
    }
    if (config.type === "gradscope" && !config.program) {
      const current = currentFileConfiguration();
      if (current) config.program = current.program;
    }
    return config;
  }
}

export async function debugCurrentFile(): Promise<boolean> {
  const config = currentFileConfiguration();
  if (!config) {
    void vscode.window.showWarningMessage("Gradscope: the active editor is not a TypeScript or JavaScript file.");
    return false;
  }
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(vscode.Uri.file(config.program)), config);
}
