/**
 * Where in the user's code something happened: the first stack frame outside the engine.
 * With `node --enable-source-maps` (as the debugger runs programs) V8's stack strings are
 * already mapped to the user's TypeScript.
 */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

function parseFrame(line: string): SourceLocation | null {
  const match = FRAME.exec(line);
  if (!match) return null;
  return { file: match[1]!, line: Number(match[2]), column: Number(match[3]) };
}

/**
 * The engine's own code: a source file under engine/ (tests, source-mapped bundle) or the
 * bundle file itself. Found once from this module's own frame.
 */
const engineRoot: string = (() => {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  const own = frames.map(parseFrame).find((f) => f !== null);
  if (!own) return "\u0000";
  const marker = own.file.lastIndexOf("/engine/debug/location");
  return marker >= 0 ? own.file.slice(0, marker + "/engine/".length) : own.file;
})();

export function isEngineFile(file: string): boolean {
  return file.startsWith(engineRoot) || file.startsWith("node:") || file.includes("/node_modules/vitest");
}

/** Captures the stack now; formatting (and source mapping) waits until `resolveLocation`. */
export function captureStack(): Error {
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const captured = new Error();
  Error.stackTraceLimit = previousLimit;
  return captured;
}

export function resolveLocation(captured: Error): SourceLocation | null {
  const lines = (captured.stack ?? "").split("\n");
  for (let i = 1; i < lines.length; i++) {
    const frame = parseFrame(lines[i]!);
    if (frame && !isEngineFile(frame.file)) return frame;
  }
  return null;
}

/** The user's location calling into the engine right now. */
export function callerLocation(): SourceLocation | null {
  return resolveLocation(captureStack());
}
