/**
 * What the engine records beyond PyTorch's own bookkeeping, only when someone asks for it
 * (the debugger's inspector, or anomaly mode): each node's forward stack and module path.
 * Off by default so that a program run without the debugger pays one boolean test per op.
 */
import { isAnomalyEnabled } from "./gradMode";

let debuggerRecording = false;

/**
 * The stack shared by every node created inside one call of the engine's own modules (see
 * nn.Module.call): their first frame outside the engine is the same, the user's line that
 * called the outermost of them. Captured when that call begins, or by its first node.
 */
export interface ForwardSite {
  stack: Error | null;
}

/** A module whose forward is running, innermost last (only maintained while recording). */
interface ModuleFrame {
  path: string;
  /** null while user code may create nodes here: a user-defined forward, or a module with hooks. */
  site: ForwardSite | null;
}

const moduleFrames: ModuleFrame[] = [];

export function setDebuggerRecording(on: boolean): void {
  debuggerRecording = on;
}

export function isRecordingForwardLocations(): boolean {
  return debuggerRecording || isAnomalyEnabled();
}

export function isDebuggerRecording(): boolean {
  return debuggerRecording;
}

/**
 * nn.Module.call enters its dotted path while its forward runs (only when recording).
 * `engineForward`: the forward is the engine's own and runs no user code but child modules'
 * calls, so its nodes share a stack: the enclosing engine module's when there is one (see
 * currentForwardSite), else `stack`, captured by the caller at the call (null: by the first node).
 */
export function enterModule(segment: string, engineForward: boolean, stack: Error | null): void {
  const parent = moduleFrames[moduleFrames.length - 1];
  const path = parent ? `${parent.path}.${segment}` : segment;
  const site = engineForward ? (parent?.site ?? { stack }) : null;
  moduleFrames.push({ path, site });
}

export function leaveModule(): void {
  moduleFrames.pop();
}

export function currentModulePath(): string | null {
  const frame = moduleFrames[moduleFrames.length - 1];
  return frame ? frame.path : null;
}

/** The stack every node created now shares, or null when each node captures its own. */
export function currentForwardSite(): ForwardSite | null {
  const frame = moduleFrames[moduleFrames.length - 1];
  return frame ? frame.site : null;
}

/** How many module forwards are running. */
export function moduleDepth(): number {
  return moduleFrames.length;
}
