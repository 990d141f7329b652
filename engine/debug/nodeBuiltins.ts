/**
 * Node's built-in modules where the engine runs under Node, reached through
 * process.getBuiltinModule so the engine itself imports nothing (and runs anywhere else).
 */
interface NodeProcess {
  sourceMapsEnabled?: boolean;
  getBuiltinModule?: (id: string) => unknown;
}

const nodeProcess = (globalThis as { process?: NodeProcess }).process;

/** A built-in module (`node:inspector`), or null outside Node or where it is missing. */
export function nodeBuiltin<T>(id: string): T | null {
  if (typeof nodeProcess?.getBuiltinModule !== "function") return null;
  try {
    return (nodeProcess.getBuiltinModule(id) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/** The program runs with `--enable-source-maps` (as under the debugger): V8's stacks are mapped. */
export const sourceMapsEnabled = nodeProcess?.sourceMapsEnabled === true;

export interface InspectorConsole {
  warn(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

/**
 * What the engine uses of `node:inspector`: the inspector-only console (reaches the debugger,
 * never stdout/stderr), whether an inspector is listening, and waitForDebugger.
 */
export interface NodeInspector {
  console?: InspectorConsole;
  url?: () => string | undefined;
  waitForDebugger?: () => void;
}

export const nodeInspector: NodeInspector | null = nodeBuiltin<NodeInspector>("node:inspector");

/** An inspector is listening (the process runs with --inspect, as under the Gradscope adapter). */
export function inspectorListening(): boolean {
  return typeof nodeInspector?.url === "function" && nodeInspector.url() !== undefined;
}
