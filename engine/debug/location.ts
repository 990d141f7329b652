/**
 * Where in the user's code something happened: the first stack frame outside the engine.
 * With `node --enable-source-maps` (as the debugger runs programs) V8's stack strings are
 * already mapped to the user's TypeScript.
 */
import { currentForwardSite, moduleDepth } from "../autograd/tracking";
import { nodeBuiltin, sourceMapsEnabled } from "./nodeBuiltins";

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

/** The engine's root for a file name of this module: engine/ when run from sources, else the bundle file itself. */
function engineRootOf(file: string): string {
  const marker = file.lastIndexOf("/engine/debug/location");
  return marker >= 0 ? file.slice(0, marker + "/engine/".length) : file;
}

/**
 * The engine's own code as stack *text* names it (source-mapped under --enable-source-maps).
 * Found once, on first use: formatting a stack through source maps parses the engine's map,
 * ~30 ms that a program run without the debugger should not pay at load.
 */
let textEngineRoot: string | undefined;

export function isEngineFile(file: string): boolean {
  if (textEngineRoot === undefined) {
    const frames = (new Error().stack ?? "").split("\n").slice(1);
    const own = frames.map(parseFrame).find((f) => f !== null);
    textEngineRoot = own ? engineRootOf(own.file) : "\u0000";
  }
  return file.startsWith(textEngineRoot) || file.startsWith("node:") || file.includes("/node_modules/vitest");
}

/**
 * Frames to capture for a node created outside the engine's own modules: enough to pass the
 * engine's frames and reach the user's, plus 3 per nn.Module level it runs in (a module with
 * hooks runs its engine forward under them), not the whole stack: capturing costs ~0.5-1 µs
 * per frame on every op while the debugger records, and the graph's first request pays as
 * much again per frame when V8 materializes the stack (20,000 stacks: ~10 ms a frame).
 * An op's stack (beginOpStack) starts at record()'s caller: the op, the Tensor method, up to
 * two engine helpers between a functional call and the op (a loss's reduction), the user's
 * frame. A node made directly (CopySlices of an in-place op on a view, its AccumulateGrad)
 * has Node, its class, the in-place machinery, the op and the method below the user's frame.
 * test/unit/nn.test.ts ("forward locations of nn.functional") holds both to the user's line.
 */
function framesToCapture(): number {
  return Math.min(40, 8 + 3 * moduleDepth());
}

/** The stack record() took for the nodes of the op it is recording (see beginOpStack). */
let opStack: Error | null = null;

/**
 * record() calls this before it makes an op's nodes (the op's node and any AccumulateGrad of
 * its inputs): they share one stack whose frames start at `recorder`'s caller, 3 engine frames
 * (Node, OpNode, record) fewer to capture now and to resolve when the graph is asked for.
 */
export function beginOpStack(recorder: Function): void {
  if (currentForwardSite() === null) opStack = captureFrames(framesToCapture() - 3, recorder);
}

export function endOpStack(): void {
  opStack = null;
}

/**
 * The stack for a node created now (its frames start at the caller of this function);
 * formatting (and source mapping) waits until `resolveLocation`. Inside a call of one of the
 * engine's own modules (nn.Linear, a Sequential of them, a loss) every node shares one stack,
 * captured when the outermost such call began: their first user frame is the same, the line
 * that called the module. Nodes record() makes share the stack it took for them.
 */
export function captureStack(): Error {
  const site = currentForwardSite();
  // Captured late (grad mode was off when the module was entered): deep enough for any nesting.
  if (site !== null) return (site.stack ??= captureFrames(40, captureStack));
  if (opStack !== null) return opStack;
  return captureFrames(framesToCapture(), captureStack);
}

/**
 * `frames` frames above `capturer` (which must be on the stack), as an object whose `stack`
 * V8 formats on first read: the frames of the capture itself cost nothing then.
 */
function captureFrames(frames: number, capturer: Function): Error {
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = frames;
  const captured = {} as Error;
  Error.captureStackTrace(captured, capturer);
  Error.stackTraceLimit = previousLimit;
  return captured;
}

/**
 * The stack shared by the nodes of an engine module call, captured as the call begins. V8
 * drops every frame up to `moduleCall` (the module's `call`, running now), so the first frame
 * is its caller: the user's line when no other module is running (`nested` false), else
 * possibly engine code that called the module, which resolving skips: a user's subclass of an
 * engine module calling `super.forward` needs two frames (test/unit/nn.test.ts, "records each
 * node's forward line", fails with one). Each frame costs ~2-3 µs to capture on this machine,
 * and an MLP step captures twice (the model, the loss): one frame where one will do.
 */
export function captureModuleCaller(moduleCall: Function, nested: boolean): Error {
  return captureFrames(nested ? 3 : 1, moduleCall);
}

/**
 * Each stack resolves once (the graph asks for thousands of locations on every stop), the
 * result kept on the Error itself: a property is cheaper than a WeakMap entry per node, and
 * than reading `stack` again (V8 keeps what locateInSites returned, but behind an accessor).
 */
const RESOLVED = Symbol("gradscope.resolvedLocation");
type ResolvableError = Error & { [RESOLVED]?: SourceLocation | null };

export function resolveLocation(captured: Error): SourceLocation | null {
  const cached = (captured as ResolvableError)[RESOLVED];
  if (cached !== undefined) return cached;
  // In a batch (a graph dump) Error.prepareStackTrace is locateInSites already.
  const fromSites = batchDepth > 0 ? locatedOf(captured) : findSourceMap ? resolveLocations(() => locatedOf(captured)) : undefined;
  const location = fromSites !== undefined ? fromSites : resolveFromStackText(captured);
  (captured as ResolvableError)[RESOLVED] = location;
  return location;
}

/** > 0 while resolveLocations runs: Error.prepareStackTrace is locateInSites throughout. */
let batchDepth = 0;

/**
 * Runs `resolve`, which resolves many locations (a graph dump), with Error.prepareStackTrace
 * set once instead of once per stack: a 20,000-node graph resolves 20,000 stacks on its first
 * request. Only the engine's own code runs inside, so no other stack is formatted meanwhile.
 */
export function resolveLocations<T>(resolve: () => T): T {
  if (!findSourceMap || batchDepth > 0) return resolve();
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = locateInSites;
  batchDepth++;
  try {
    return resolve();
  } finally {
    batchDepth--;
    Error.prepareStackTrace = previous;
  }
}

function resolveFromStackText(captured: Error): SourceLocation | null {
  const text = captured.stack as unknown;
  const lines = typeof text === "string" ? text.split("\n") : [];
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

const findSourceMap: FindSourceMap | null = (() => {
  if (!sourceMapsEnabled) return null;
  const mod = nodeBuiltin<{ findSourceMap?: FindSourceMap }>("node:module");
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

/**
 * V8's CallSite.getPosition (not in Node's types): the frame's character offset in its script,
 * which its line and column are computed from. The offset alone tells two sites of a file
 * apart: one call per stack instead of two (line, column), and no search of the script's line
 * starts (a first dump of 20,000 stacks runs ~15 million fewer instructions).
 */
type PositionedCallSite = NodeJS.CallSite & { getPosition?(): number };

/** A call site of this module, made once to learn what the engine's call sites look like. */
const ownSite: PositionedCallSite | undefined = findSourceMap ? callSites(new Error())?.[0] : undefined;

/** The engine bundle's own file as V8 names it (before source mapping), and its root (see engineRootOf). */
const engineBundleFile: string | null = ownSite?.getFileName() ?? null;
const generatedEngineRoot: string | null = engineBundleFile === null ? null : engineRootOf(engineBundleFile);

/** Call sites have getPosition (V8; elsewhere sites are told apart by line and column). */
const sitesHavePositions = typeof ownSite?.getPosition === "function";

function isGeneratedEngineFile(file: string): boolean {
  return file === engineBundleFile || file.startsWith(generatedEngineRoot!) || file.startsWith("node:");
}

/**
 * What V8 keeps as a resolved stack's `stack` (see locateInSites): the location, shared by
 * every stack with the same first user frame, instead of a dozen call sites per node.
 */
class Located {
  constructor(readonly location: SourceLocation | null) {}
}
const NO_USER_FRAME = new Located(null);

/**
 * Mapped positions by generated file, then by offset in it (or by line and column, see
 * sitesHavePositions): one per distinct position.
 */
const mappedPositions = new Map<string, Map<number, Located>>();

/** Error.prepareStackTrace while resolving: the first frame outside the engine, mapped. */
function locateInSites(_error: unknown, sites: PositionedCallSite[]): Located {
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i]!;
    const file = site.getFileName();
    if (!file || isGeneratedEngineFile(file)) continue;
    let inFile = mappedPositions.get(file);
    if (!inFile) mappedPositions.set(file, (inFile = new Map()));
    const key = sitesHavePositions ? site.getPosition!() : lineColumnKey(site);
    let located = inFile.get(key);
    if (!located) {
      located = new Located(mapPosition(file, site.getLineNumber() ?? 0, site.getColumnNumber() ?? 0));
      inFile.set(key, located);
    }
    return located;
  }
  return NO_USER_FRAME;
}

function lineColumnKey(site: NodeJS.CallSite): number {
  return (site.getLineNumber() ?? 0) * 0x200000 + (site.getColumnNumber() ?? 0);
}

/**
 * Reads `stack` while Error.prepareStackTrace is locateInSites. undefined: the stack was
 * formatted as text before (the caller falls back to its text).
 */
function locatedOf(captured: Error): SourceLocation | null | undefined {
  const result = captured.stack as unknown;
  return result instanceof Located ? result.location : undefined;
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
  return resolveLocation(captureFrames(40, callerLocation)); // rare (warnings): no need to be frugal
}
