/**
 * Where in the user's code something happened: the first stack frame outside the engine.
 * With `node --enable-source-maps` (as the debugger runs programs) V8's stack strings are
 * already mapped to the user's TypeScript.
 */
import { currentModulePath } from "../autograd/tracking";

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

/**
 * Frames to capture for a node: enough to pass the engine's own frames and reach the user's
 * (about 7 for an op called directly, 3 more per nn.Module level it runs in), not the whole
 * stack: capturing costs ~0.2 µs per frame on every op while the debugger records.
 */
function framesToCapture(): number {
  const modulePath = currentModulePath();
  let depth = 0;
  if (modulePath !== null) {
    depth = 1;
    for (let i = 0; i < modulePath.length; i++) if (modulePath.charCodeAt(i) === 46 /* . */) depth++;
  }
  return Math.min(40, 12 + 3 * depth);
}

/** Captures the stack now; formatting (and source mapping) waits until `resolveLocation`. */
export function captureStack(frames = framesToCapture()): Error {
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = frames;
  const captured = new Error();
  Error.stackTraceLimit = previousLimit;
  return captured;
}

/** Each node resolves once: the graph asks for thousands of locations on every stop. */
const resolved = new WeakMap<Error, SourceLocation | null>();

export function resolveLocation(captured: Error): SourceLocation | null {
  const cached = resolved.get(captured);
  if (cached !== undefined) return cached;
  const location = (findSourceMap ? resolveFromCallSites(captured) : undefined) ?? resolveFromStackText(captured);
  resolved.set(captured, location);
  return location;
}

function resolveFromStackText(captured: Error): SourceLocation | null {
  const lines = (captured.stack ?? "").split("\n");
  for (let i = 1; i < lines.length; i++) {
    const frame = parseFrame(lines[i]!);
    if (frame && !isEngineFile(frame.file)) return frame;
  }
  return null;
}

// ---- the fast path under `node --enable-source-maps` (how the debugger runs programs) ----
//
// Formatting a whole stack through Node's source-map support costs a map lookup per frame
// and a string per trace; a 20,000-node graph would take seconds. Instead read V8's call
// sites, skip the engine's frames by file, and map only the user's frame, once per position.

interface SourceMapEntry {
  originalSource?: string;
  originalLine?: number;
  originalColumn?: number;
}
type FindSourceMap = (file: string) => { findEntry(line: number, column: number): SourceMapEntry } | undefined;

interface NodeProcessExtras {
  sourceMapsEnabled?: boolean;
  getBuiltinModule?: (id: string) => unknown;
}

const findSourceMap: FindSourceMap | null = (() => {
  const proc = (globalThis as { process?: NodeProcessExtras }).process;
  if (!proc?.sourceMapsEnabled || typeof proc.getBuiltinModule !== "function") return null;
  const mod = proc.getBuiltinModule("node:module") as { findSourceMap?: FindSourceMap } | undefined;
  return typeof mod?.findSourceMap === "function" ? mod.findSourceMap : null;
})();

function callSites(captured: Error): NodeJS.CallSite[] | null {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  try {
    const sites = captured.stack as unknown;
    return Array.isArray(sites) ? (sites as NodeJS.CallSite[]) : null;
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/** The engine bundle's own file as V8 names it (before source mapping). */
const engineBundleFile: string | null = (() => {
  if (!findSourceMap) return null;
  const own = callSites(new Error())?.[0]?.getFileName();
  return own ?? null;
})();

const mappedPositions = new Map<string, SourceLocation>();

/** undefined: could not read call sites here (the caller falls back to the stack text). */
function resolveFromCallSites(captured: Error): SourceLocation | null | undefined {
  const sites = callSites(captured);
  if (!sites) return undefined;
  for (let i = 1; i < sites.length; i++) {
    const site = sites[i]!;
    const file = site.getFileName();
    if (!file || file === engineBundleFile || isEngineFile(file)) continue;
    const line = site.getLineNumber() ?? 0;
    const column = site.getColumnNumber() ?? 0;
    const key = `${file}:${line}:${column}`;
    let location = mappedPositions.get(key);
    if (!location) {
      location = mapPosition(file, line, column);
      mappedPositions.set(key, location);
    }
    return location;
  }
  return null;
}

function mapPosition(file: string, line: number, column: number): SourceLocation {
  let entry: SourceMapEntry | undefined;
  try {
    entry = findSourceMap!(file)?.findEntry(line - 1, column - 1);
  } catch {
    entry = undefined;
  }
  if (!entry?.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return { file, line, column };
  return { file: fileUrlToPath(entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

function fileUrlToPath(source: string): string {
  if (!source.startsWith("file://")) return source;
  return decodeURIComponent(source.slice("file://".length).replace(/^\/([A-Za-z]:)/, "$1"));
}

/** The user's location calling into the engine right now. */
export function callerLocation(): SourceLocation | null {
  return resolveLocation(captureStack(40)); // rare (warnings): no need to be frugal
}
