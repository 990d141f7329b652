/**
 * The one place that decides how VS Code reaches the adapter. `inline` runs the session
 * inside the extension host (fast start, easy to debug the adapter itself); `external`
 * spawns `node dist/debugAdapter.js` and talks DAP over stdio (isolation: a crash in
 * the adapter can't take the extension host down). This module has no `vscode` import:
 * src/extension.ts turns the choice into the matching DebugAdapterDescriptor.
 */
import * as path from "node:path";
import { GradscopeDebugSession } from "./session/gradscopeSession";

export type AdapterMode = "inline" | "external";

/** Inline by default; GRADSCOPE_ADAPTER=external (or the setting) switches. */
export function chooseAdapterMode(setting?: string): AdapterMode {
  const requested = setting ?? process.env.GRADSCOPE_ADAPTER;
  return requested === "external" ? "external" : "inline";
}

/** For `new vscode.DebugAdapterInlineImplementation(createInlineSession(distDir))`. */
export function createInlineSession(distDir: string): GradscopeDebugSession {
  return new GradscopeDebugSession(distDir);
}

/**
 * For `new vscode.DebugAdapterExecutable(command, args, { env })`. Inside VS Code
 * process.execPath is the Electron binary: ELECTRON_RUN_AS_NODE makes it plain Node
 * (and is ignored by a real node).
 */
export function externalAdapterCommand(distDir: string): { command: string; args: string[]; env: Record<string, string> } {
  return { command: process.execPath, args: [path.join(distDir, "debugAdapter.js")], env: { ELECTRON_RUN_AS_NODE: "1" } };
}
