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

interface InspectorModule {
  console?: InspectorConsole;
  url?: () => string | undefined;
}

const inspectorModule: InspectorModule | null = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== "function") return null;
  try {
    return (proc.getBuiltinModule("node:inspector") as InspectorModule | undefined) ?? null;
  } catch {
    return null;
  }
})();

const inspectorConsole: InspectorConsole | null = typeof inspectorModule?.console?.warn === "function" ? inspectorModule.console : null;

export class WarningChannel {
  private readonly sent = new Set<string>();

  /**
   * Whether warnings reach a debugger this way: the process runs with an inspector (as under
   * the Gradscope adapter). Otherwise they stay on stderr only.
   */
  get available(): boolean {
    return inspectorConsole !== null && typeof inspectorModule?.url === "function" && inspectorModule.url() !== undefined;
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
