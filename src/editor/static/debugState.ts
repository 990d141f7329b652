/**
 * Whether a Gradscope session is stopped (then the debugger's hover answers, not ours).
 * VS Code only focuses a stack frame while a session is paused, so no event tracking is needed.
 */
import * as vscode from "vscode";

export function isGradscopeDebugPaused(): boolean {
  const item = vscode.debug.activeStackItem;
  return item instanceof vscode.DebugStackFrame && item.session.type === "gradscope";
}
