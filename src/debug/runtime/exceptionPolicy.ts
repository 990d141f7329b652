/**
 * Which exception pauses the user asked for (DAP exception filters) and, for a given
 * pause, whether to stop or silently resume.
 */
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { Protocol } from "devtools-protocol";

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

  /** What V8 must pause on so that we can decide: caught exceptions only if some filter needs them. */
  get v8State(): "none" | "uncaught" | "all" {
    if (this.filters.has("all") || this.filters.has("autogradErrors")) return "all";
    return this.filters.has("uncaught") ? "uncaught" : "none";
  }

  /**
   * Decides on an exception pause. `thrownByEngine`: some frame on the stack belongs to
   * the engine bundle, so a user class that happens to be called RuntimeError is not
   * mistaken for the engine's.
   */
  shouldStop(exception: Protocol.Runtime.RemoteObject | undefined, uncaught: boolean, thrownByEngine: boolean): boolean {
    if (this.filters.has("all")) return true;
    if (uncaught && this.filters.has("uncaught")) return true;
    if (this.filters.has("autogradErrors") && thrownByEngine && isAutogradError(exception)) return true;
    return false;
  }
}

export function isAutogradError(exception: Protocol.Runtime.RemoteObject | undefined): boolean {
  return exception?.type === "object" && exception.subtype === "error" && AUTOGRAD_ERROR_CLASSES.has(exception.className ?? "");
}
