/**
 * Engine warnings for an attached debugger: sent over the inspector console (node:inspector's
 * `console` reaches only the debugger, never stdout/stderr), once per (message, location) as
 * Python's default warnings filter prints them. The adapter turns each into an output event
 * at the user's line; no pause, so stepping is never disturbed.
 */
import type { EngineWarning } from "./inspectTypes";
import { WARNING_CONSOLE_TAG } from "./inspectTypes";
import { inspectorListening, nodeInspector, type InspectorConsole } from "./nodeBuiltins";

const inspectorConsole: InspectorConsole | null = typeof nodeInspector?.console?.warn === "function" ? nodeInspector.console : null;

export class WarningChannel {
  private readonly sent = new Set<string>();

  /**
   * Whether warnings reach a debugger this way: the process runs with an inspector (as under
   * the Gradscope adapter). Otherwise they stay on stderr only.
   */
  get available(): boolean {
    return inspectorConsole !== null && inspectorListening();
  }

  send(warning: EngineWarning): void {
    if (!inspectorConsole || !this.available) return;
    const where = warning.location ? `${warning.location.file}:${warning.location.line}:${warning.location.column}` : "";
    const key = `${where}\u0000${warning.message}`;
    if (this.sent.has(key)) return;
    this.sent.add(key);
    inspectorConsole.warn(WARNING_CONSOLE_TAG, JSON.stringify(warning));
  }
}
