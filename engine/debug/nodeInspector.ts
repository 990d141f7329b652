/**
 * Node's `node:inspector` module where the engine runs under Node with it (reached through
 * process.getBuiltinModule, so the engine itself imports nothing), else null. What the engine
 * uses: the inspector-only console (reaches the debugger, never stdout/stderr), whether an
 * inspector is listening, and waitForDebugger.
 */
export interface InspectorConsole {
  warn(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

export interface NodeInspector {
  console?: InspectorConsole;
  url?: () => string | undefined;
  waitForDebugger?: () => void;
}

export const nodeInspector: NodeInspector | null = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== "function") return null;
  try {
    return (proc.getBuiltinModule("node:inspector") as NodeInspector | undefined) ?? null;
  } catch {
    return null;
  }
})();

/** An inspector is listening (the process runs with --inspect, as under the Gradscope adapter). */
export function inspectorListening(): boolean {
  return typeof nodeInspector?.url === "function" && nodeInspector.url() !== undefined;
}
