/**
 * What the engine records beyond PyTorch's own bookkeeping, only when someone asks for it
 * (the debugger's inspector, or anomaly mode): each node's forward stack and module path.
 * Off by default so that a program run without the debugger pays one boolean test per op.
 */
import { isAnomalyEnabled } from "./gradMode";

let debuggerRecording = false;
const modulePathStack: string[] = [];

export function setDebuggerRecording(on: boolean): void {
  debuggerRecording = on;
}

export function isRecordingForwardLocations(): boolean {
  return debuggerRecording || isAnomalyEnabled();
}

export function isDebuggerRecording(): boolean {
  return debuggerRecording;
}

/** nn.Module.call pushes its dotted path while its forward runs (only when recording). */
export function pushModulePath(segment: string): void {
  const parent = modulePathStack[modulePathStack.length - 1];
  modulePathStack.push(parent ? `${parent}.${segment}` : segment);
}

export function popModulePath(): void {
  modulePathStack.pop();
}

export function currentModulePath(): string | null {
  return modulePathStack[modulePathStack.length - 1] ?? null;
}
