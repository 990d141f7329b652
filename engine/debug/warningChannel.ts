/**
 * Engine warnings for an attached debugger: sent over the inspector console (node:inspector's
 * `console` reaches only the debugger, never stdout/stderr), once per (message, location) as
 * Python's default warnings filter prints them. The adapter turns each into an output event
 * at the user's line; no pause, so stepping is never disturbed.
 */
import type { EngineWarning } from "./inspectTypes";
import { WARNING_CONSOLE_TAG } from "./inspectTypes";

interface InspectorConsole {
  warn(...args: unknown[]): void;
}

const inspectorConsole: InspectorConsole | null = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== "function") return null;
  try {
    const inspector = proc.getBuiltinModule("node:inspector") as { console?: InspectorConsole } | undefined;
    return inspector?.console && typeof inspector.console.warn === "function" ? inspector.console : null;
  } catch {
    return null;
  }
})();

export class WarningChannel {
  private readonly sent = new Set<string>();

  /** Whether warnings can reach a debugger this way (else they stay on stderr). */
  get available(): boolean {
    return inspectorConsole !== null;
  }

  send(warning: EngineWarning): void {
    if (!inspectorConsole) return;
    const where = warning.location ? `${warning.location.file}:${warning.location.line}:${warning.location.column}` : "";
    const key = `${where}\u0000${warning.message}`;
    if (this.sent.has(key)) return;
    this.sent.add(key);
    inspectorConsole.warn(WARNING_CONSOLE_TAG, JSON.stringify(warning));
  }
}
