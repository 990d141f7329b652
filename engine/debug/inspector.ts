/**
 * The engine's inspection surface for debuggers, on globalThis[Symbol.for("gradscope.inspector")].
 * The adapter calls these with Runtime.callFunctionOn/returnByValue; everything returned is plain data.
 * Nothing here runs unless a debugger asks: recording and stepping are off until it turns them on.
 */
import { setBackwardObserver } from "../autograd/engine";
import { setDebuggerRecording } from "../autograd/tracking";
import { Tensor } from "../tensor";
import { onWarning } from "../warnings";
import { BackwardTracker } from "./backwardTracker";
import { describeTensor, gradHint, gradStats } from "./describe";
import { dumpGraph, type NamedTensor } from "./graphDump";
import {
  INSPECTOR_SYMBOL_KEY,
  type BackwardNodeEvent,
  type EngineWarning,
  type GradscopeInspector,
  type ModuleInfo,
  type RawGraph,
  type TensorInfo,
} from "./inspectTypes";

export const TENSOR_BRAND = Symbol.for("gradscope.tensor");
export const MODULE_BRAND = Symbol.for("gradscope.module");
const PARAMETER_BRAND = Symbol.for("gradscope.parameter");

interface ModuleLike {
  namedParameters(): Array<[string, Tensor]>;
  training?: boolean;
  constructor: { name: string };
}

function isTensorValue(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TENSOR_BRAND] === true;
}

function isModuleValue(value: unknown): value is ModuleLike {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MODULE_BRAND] === true;
}

function isParameter(t: Tensor): boolean {
  return (t as unknown as Record<symbol, unknown>)[PARAMETER_BRAND] === true;
}

class Inspector implements GradscopeInspector {
  readonly protocolVersion = 1 as const;
  private readonly tracker = new BackwardTracker((event) => this.onBackwardNode(event));
  private readonly warnings: EngineWarning[] = [];
  private stopWarnings: (() => void) | null = null;
  private recording = false;

  setRecording(on: boolean): void {
    this.recording = on;
    setDebuggerRecording(on);
    setBackwardObserver(on || this.tracker.stepping ? this.tracker : null);
    if (on && !this.stopWarnings) {
      this.stopWarnings = onWarning((w) => {
        this.warnings.push({ message: w.message, category: w.category, location: w.location });
        if (this.warnings.length > 1000) this.warnings.shift();
      });
    } else if (!on && this.stopWarnings) {
      this.stopWarnings();
      this.stopWarnings = null;
    }
  }

  setBackwardStepping(on: boolean): void {
    this.tracker.stepping = on;
    setBackwardObserver(on || this.recording ? this.tracker : null);
  }

  /** Intentionally empty: the debugger sets a breakpoint here to stop before each backward node. */
  onBackwardNode(_event: BackwardNodeEvent): void {}

  isTensor(value: unknown): boolean {
    return isTensorValue(value);
  }

  isModule(value: unknown): boolean {
    return isModuleValue(value);
  }

  tensorInfo(value: unknown): TensorInfo | null {
    if (!isTensorValue(value)) return null;
    const t = value;
    return {
      description: describeTensor(t),
      id: t.id,
      shape: [...t.shape],
      dtype: t.dtype,
      numel: t.numel(),
      requiresGrad: t.requiresGrad,
      isLeaf: t.isLeaf,
      retainsGrad: t._retainsGrad,
      grad: t._grad ? gradStats(t._grad) : null,
      gradHint: gradHint(t),
      gradFnName: t._gradFn ? t._gradFn.name() : null,
      version: t._version.value,
      isParameter: isParameter(t),
    };
  }

  moduleInfo(value: unknown): ModuleInfo | null {
    if (!isModuleValue(value)) return null;
    const parameters = value.namedParameters().map(([name, p]) => ({
      name,
      shape: [...p.shape],
      requiresGrad: p.requiresGrad,
      frozen: !p.requiresGrad,
      hasGrad: p._grad !== null,
      description: describeTensor(p) + (p.requiresGrad ? "" : " · frozen"),
    }));
    const frozen = parameters.filter((p) => p.frozen).length;
    const count = parameters.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
    return {
      description: `${value.constructor.name} · ${count.toLocaleString("en-US")} params · ${frozen} of ${parameters.length} tensors frozen`,
      className: value.constructor.name,
      parameters,
      training: value.training ?? true,
    };
  }

  tensorData(value: unknown, start: number, count: number): number[] {
    if (!isTensorValue(value)) return [];
    const n = value.numel();
    const from = Math.max(0, Math.min(start, n));
    const to = Math.max(from, Math.min(from + count, n));
    // Read only the requested page: a 10-million-element tensor must page instantly.
    const flat = value._contiguous ? value : value.contiguous();
    return Array.from(flat._storage.subarray(flat._offset + from, flat._offset + to));
  }

  graph(roots: Array<{ name: string; value: unknown }>, limit: number): RawGraph {
    const named: NamedTensor[] = [];
    for (const { name, value } of roots) {
      if (isTensorValue(value)) named.push({ name, tensor: value, modulePath: null, isParameter: isParameter(value) });
      else if (isModuleValue(value)) {
        for (const [path, p] of value.namedParameters()) {
          named.push({ name: `${name}.${path}`, tensor: p, modulePath: path, isParameter: true });
        }
      }
    }
    return dumpGraph(named, limit, this.tracker);
  }

  backwardState() {
    return this.tracker.state();
  }

  takeWarnings(): EngineWarning[] {
    return this.warnings.splice(0, this.warnings.length);
  }
}

/** Installed once per process; a second copy of the engine keeps the first surface. */
export function installInspector(): GradscopeInspector {
  const key = Symbol.for(INSPECTOR_SYMBOL_KEY);
  const global = globalThis as unknown as Record<symbol, GradscopeInspector | undefined>;
  return (global[key] ??= new Inspector());
}

Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true });
