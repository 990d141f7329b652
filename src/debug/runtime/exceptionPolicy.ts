/**
 * Which exception pauses the user asked for (DAP exception filters) and, for a given
 * pause, whether to stop or silently resume.
 */
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { Protocol } from "devtools-protocol";
import type { StopEvent } from "./debuggeeRuntime";

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: "autogradErrors",
    label: "Autograd Errors",
    description: "Stop at your line when the engine raises RuntimeError/ValueError (e.g. setting requiresGrad on a non-leaf), caught or not.",
    default: true,
  },
  { filter: "uncaught", label: "Uncaught Exceptions", default: false },
  { filter: "all", label: "All Exceptions", description: "Stop on every thrown exception, caught or not.", default: false },
];

/** The engine's error classes (PyTorch's names). */
const AUTOGRAD_ERROR_CLASSES = new Set(["RuntimeError", "ValueError", "IndexError", "NotImplementedError"]);

export class ExceptionPolicy {
  private filters = new Set<string>(EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter));

  setFilters(filters: string[]): void {
    this.filters = new Set(filters);
  }

  /**
   * What V8 must pause on. Not `autogradErrors`: the engine stops for those itself, where it
   * raises them (engine/debug/errorHook.ts, a hook the backward controller has a breakpoint
   * in), so that V8 need not pause, and the adapter answer, at every exception the program
   * throws and catches (a round trip of ~40 ms each).
   */
  get v8State(): "none" | "uncaught" | "all" {
    if (this.filters.has("all")) return "all";
    return this.filters.has("uncaught") ? "uncaught" : "none";
  }

  /**
   * Decides on an exception pause. `thrownByEngine`: some frame on the stack belongs to
   * the engine bundle, so a user class that happens to be called RuntimeError is not
   * mistaken for the engine's.
   */
  shouldStop(exception: Protocol.Runtime.RemoteObject | undefined, uncaught: boolean, thrownByEngine: boolean): boolean {
    // With autogradErrors the engine's error has stopped already, where it was raised.
    if (this.filters.has("autogradErrors") && thrownByEngine && isAutogradError(exception)) return false;
    if (this.filters.has("all")) return true;
    return uncaught && this.filters.has("uncaught");
  }
}

/** How a stop at an exception is reported (V8's exception pauses, and the engine's raised errors). */
export function exceptionStopEvent(exception: Protocol.Runtime.RemoteObject | undefined, uncaught: boolean): StopEvent {
  const description = exception?.description ?? "exception";
  return {
    reason: "exception",
    description: `Paused on ${uncaught ? "uncaught " : ""}exception`,
    text: description.split("\n")[0] ?? description,
    exception,
  };
}

export function isAutogradError(exception: Protocol.Runtime.RemoteObject | undefined): boolean {
  return exception?.type === "object" && exception.subtype === "error" && AUTOGRAD_ERROR_CLASSES.has(exception.className ?? "");
}
