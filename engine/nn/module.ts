/**
 * nn.Module: the base class of layers and models, with PyTorch's semantics.
 *
 * Parameters and submodules are discovered from the instance's own enumerable fields, in
 * field order, every time they are asked for: a field holding a Parameter is a parameter, a
 * field holding a Module is a child, and a field holding an array registers each Parameter /
 * Module element under `field.index` (a ModuleList without the class). So subclasses just
 * write `fc1 = new Linear(4, 8)`; nothing is cached that could go stale when a field is
 * reassigned (e.g. replacing the last layer for fine-tuning). Fields set to `null` (Linear's
 * bias with `bias: false`) are simply absent, like PyTorch's `None` parameters.
 *
 * Decision: the module path pushed for the debugger is the name under which the running
 * parent module holds this module ("fc1", "0"); a module called outside any parent's forward
 * (the model itself, a loss) pushes its class name, so nodes read "MLP.fc1", "CrossEntropyLoss".
 */
import { KeyError, RuntimeError, TorchTypeError, ValueError } from "../errors";
import { legacyTypeName } from "../dtype";
import { isGradEnabled, noGrad } from "../autograd/gradMode";
import { currentForwardSite, enterModule, isRecordingForwardLocations, leaveModule } from "../autograd/tracking";
import { captureModuleCaller } from "../debug/location";
import { Tensor } from "../tensor";
import { Parameter } from "./parameter";

export { KeyError } from "../errors";

export type ForwardPreHook = (module: Module, args: unknown[]) => unknown[] | void | undefined;
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;

export interface RemovableHandle {
  remove(): void;
}

export type StateDict = Record<string, Tensor>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** The modules whose forward is running, innermost last (only maintained while recording). */
const runningModules: Module[] = [];

/**
 * The `forward` methods of the engine's own modules (marked in nn/index.ts): they create nodes
 * and call child modules, and run no user code. A subclass that overrides forward is the user's.
 */
const engineForwards = new WeakSet<Function>();

export function markEngineModules(classes: Iterable<unknown>): void {
  for (const value of classes) {
    if (typeof value === "function" && value.prototype instanceof Module) engineForwards.add(value.prototype.forward);
  }
}

/** The name a module was last found under in its running parent (looking it up costs more than a small layer's forward). */
const nameInParent = new WeakMap<Module, { parent: Module; name: string }>();

export abstract class Module {
  /** Whether the module is in training mode (Dropout drops, BatchNorm-like layers update). */
  training = true;
  // Bookkeeping fields are non-enumerable so that field discovery and debuggers skip them.
  declare private _buffers: Map<string, Tensor | null>;
  declare private _nonPersistent: Set<string>;
  declare private _forwardPreHooks: ForwardPreHook[] | null;
  declare private _forwardHooks: ForwardHook[] | null;
  /** Names given to registerParameter/registerModule, in order (see ownEntries). */
  declare private _registered: string[];

  constructor() {
    hidden(this, "_buffers", new Map());
    hidden(this, "_nonPersistent", new Set());
    hidden(this, "_forwardPreHooks", null);
    hidden(this, "_forwardHooks", null);
    hidden(this, "_registered", []);
  }

  /** The computation; call modules with `call(...)` so hooks and debugger tracking run. */
  abstract forward(...args: any[]): any;

  /** `module(*args)` in PyTorch: forward pre-hooks, forward, forward hooks. */
  call(...args: Parameters<this["forward"]>): ReturnType<this["forward"]> {
    // The common case costs two tests: no hooks, no debugger or anomaly mode.
    if (this._forwardPreHooks === null && this._forwardHooks === null && !isRecordingForwardLocations()) {
      return this.forward(...args);
    }
    return this.callWithHooks(args);
  }

  private callWithHooks(args: unknown[]): any {
    const tracking = isRecordingForwardLocations();
    if (tracking) {
      // The nodes of the engine's own forwards share one stack per outermost such call, captured
      // here at its caller (engine/debug/location.ts); hooks are user code, so not with hooks.
      const engineForward = this._forwardPreHooks === null && this._forwardHooks === null && engineForwards.has(this.forward);
      const stack = engineForward && currentForwardSite() === null && isGradEnabled() ? captureModuleCaller(this.call, runningModules.length > 0) : null;
      enterModule(this.nameInRunningParent() ?? this.constructor.name, engineForward, stack);
      runningModules.push(this);
    }
    try {
      for (const hook of this._forwardPreHooks ?? []) {
        const replaced = hook(this, args);
        if (replaced !== undefined) args = Array.isArray(replaced) ? replaced : [replaced];
      }
      let output = this.forward(...args);
      for (const hook of this._forwardHooks ?? []) {
        const replaced = hook(this, args, output);
        if (replaced !== undefined) output = replaced;
      }
      return output;
    } finally {
      if (tracking) {
        runningModules.pop();
        leaveModule();
      }
    }
  }

  private nameInRunningParent(): string | null {
    const parent = runningModules[runningModules.length - 1];
    if (!parent) return null;
    const known = nameInParent.get(this);
    if (known !== undefined && known.parent === parent && childHeldAs(parent, known.name) === this) return known.name;
    for (const [name, child] of parent.namedChildren()) {
      if (child !== this) continue;
      nameInParent.set(this, { parent, name });
      return name;
    }
    return null;
  }

  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    const hooks = (this._forwardPreHooks ??= []);
    hooks.push(hook);
    return removable(hooks, hook);
  }

  registerForwardHook(hook: ForwardHook): RemovableHandle {
    const hooks = (this._forwardHooks ??= []);
    hooks.push(hook);
    return removable(hooks, hook);
  }

  // ---- registration -------------------------------------------------------------------

  /** Same as assigning the field; validates the name and kind as PyTorch does. */
  registerParameter(name: string, param: Parameter | null): void {
    checkName(this, name, "parameter");
    if (param !== null && !(param instanceof Parameter)) {
      throw new TorchTypeError(`cannot assign '${typeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    this.assignRegistered(name, param);
  }

  /** Same as assigning the field (PyTorch's add_module / register_module). */
  registerModule(name: string, module: Module | null): void {
    checkName(this, name, "module");
    if (module !== null && !(module instanceof Module)) {
      throw new TorchTypeError(`${typeName(module)} is not a Module subclass`);
    }
    this.assignRegistered(name, module);
  }

  private assignRegistered(name: string, value: unknown): void {
    if (!this._registered.includes(name)) this._registered.push(name);
    (this as Record<string, unknown>)[name] = value;
  }

  /** A tensor that is state but not a parameter (running statistics); in stateDict if persistent. */
  registerBuffer(name: string, tensor: Tensor | null, { persistent = true }: { persistent?: boolean } = {}): void {
    checkName(this, name, "buffer");
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TorchTypeError(`cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this._buffers.set(name, tensor);
    if (persistent) this._nonPersistent.delete(name);
    else this._nonPersistent.add(name);
    // A getter/setter so `this.runningMean` reads and replaces the registered buffer.
    Object.defineProperty(this, name, {
      enumerable: false,
      configurable: true,
      get: () => this._buffers.get(name) ?? null,
      set: (value: Tensor | null) => this._buffers.set(name, value),
    });
  }

  // ---- traversal ----------------------------------------------------------------------

  /**
   * Own parameters, then children, from the fields in declaration order. Registered names come
   * after the fields, in registration order: JS would enumerate integer-like names ("0", "1")
   * before all others, which would misorder `Sequential({ fc, act }).append(m)`.
   * Not deduplicated: a module held twice is listed twice (Sequential runs it twice).
   */
  protected ownEntries(): { params: Array<[string, Parameter]>; children: Array<[string, Module]> } {
    const params: Array<[string, Parameter]> = [];
    const children: Array<[string, Module]> = [];
    const registered = this._registered;
    const keys = registered.length === 0 ? Object.keys(this) : [...Object.keys(this).filter((k) => !registered.includes(k)), ...registered];
    for (const key of keys) {
      const value = (this as Record<string, unknown>)[key];
      if (value instanceof Parameter) params.push([key, value]);
      else if (value instanceof Module) children.push([key, value]);
      else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item instanceof Parameter) params.push([`${key}.${i}`, item]);
          else if (item instanceof Module) children.push([`${key}.${i}`, item]);
        });
      }
    }
    return { params, children };
  }

  namedChildren(): Array<[string, Module]> {
    const seen = new Set<Module>();
    return this.ownEntries().children.filter(([, m]) => !seen.has(m) && !!seen.add(m));
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, each once, with dotted names ("" for this one). */
  namedModules(prefix = ""): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    const seen = new Set<Module>();
    const visit = (module: Module, name: string) => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([name, module]);
      for (const [childName, child] of module.ownEntries().children) visit(child, name ? `${name}.${childName}` : childName);
    };
    visit(this, prefix);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Dotted names like `fc1.weight`, `layers.0.bias`; a shared parameter appears once. */
  namedParameters(prefix = "", recurse = true): Array<[string, Parameter]> {
    const out: Array<[string, Parameter]> = [];
    const seen = new Set<Tensor>();
    const owners: Array<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [moduleName, module] of owners) {
      for (const [name, param] of module.ownEntries().params) {
        if (seen.has(param)) continue;
        seen.add(param);
        out.push([moduleName ? `${moduleName}.${name}` : name, param]);
      }
    }
    return out;
  }

  parameters(recurse = true): Parameter[] {
    return this.namedParameters("", recurse).map(([, p]) => p);
  }

  namedBuffers(prefix = "", recurse = true): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    const owners: Array<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [moduleName, module] of owners) {
      for (const [name, buffer] of module._buffers) {
        if (buffer !== null) out.push([moduleName ? `${moduleName}.${name}` : name, buffer]);
      }
    }
    return out;
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers("", recurse).map(([, b]) => b);
  }

  /** Call `fn` on every submodule (children first) and then on this one, e.g. to initialise weights. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---- modes and gradients ------------------------------------------------------------

  /** Set training mode on this module and every descendant. */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new ValueError("training mode is expected to be boolean");
    for (const module of this.modules()) module.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Freeze (false) or unfreeze every parameter. */
  requiresGrad_(requiresGrad = true): this {
    for (const param of this.parameters()) param.requiresGrad_(requiresGrad);
    return this;
  }

  /** Reset parameters' gradients: to null (default, as PyTorch 2.x), or to zeros in place. */
  zeroGrad({ setToNone = true }: { setToNone?: boolean } = {}): void {
    for (const param of this.parameters()) zeroGradOf(param, setToNone);
  }

  // ---- state --------------------------------------------------------------------------

  /** Parameters and persistent buffers by dotted name, detached (sharing storage). */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [moduleName, module] of this.namedModules()) {
      const prefix = moduleName ? `${moduleName}.` : "";
      for (const [name, param] of module.ownEntries().params) out[prefix + name] = param.detach();
      for (const [name, buffer] of module._buffers) {
        if (buffer !== null && !module._nonPersistent.has(name)) out[prefix + name] = buffer.detach();
      }
    }
    return out;
  }

  /** Copy values in (under noGrad); with `strict`, missing or unexpected keys raise PyTorch's error. */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, { strict = true }: { strict?: boolean } = {}): LoadStateDictResult {
    const incoming = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !incoming.has(k));
    const unexpectedKeys = [...incoming.keys()].filter((k) => !(k in own));
    const errors: string[] = [];
    for (const [key, target] of Object.entries(own)) {
      const source = incoming.get(key);
      if (!source) continue;
      if (source.shape.join() !== target.shape.join()) {
        errors.push(
          `size mismatch for ${key}: copying a param with shape torch.Size([${source.shape.join(", ")}]) from checkpoint, ` +
            `the shape in current model is torch.Size([${target.shape.join(", ")}]).`,
        );
        continue;
      }
      noGrad(() => target.copy_(source));
    }
    // PyTorch lists missing keys, then unexpected keys, then size mismatches.
    if (strict) {
      if (unexpectedKeys.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}. `);
      if (missingKeys.length) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}. `);
    }
    if (errors.length) {
      throw new RuntimeError(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`);
    }
    return { missingKeys, unexpectedKeys };
  }

  // ---- presentation -------------------------------------------------------------------

  /** The part inside the parentheses of the one-line repr (PyTorch's extra_repr). */
  extraRepr(): string {
    return "";
  }

  /** PyTorch's module repr: `Sequential(\n  (0): Linear(in_features=2, ...)\n)`. */
  toString(): string {
    const extraLines = this.extraRepr() ? this.extraRepr().split("\n") : [];
    const childLines = this.ownEntries().children.map(([name, child]) => `(${name}): ${indentAfterFirstLine(child.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let main = `${this.constructor.name}(`;
    if (lines.length) {
      main += extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : `\n  ${lines.join("\n  ")}\n`;
    }
    return `${main})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** A compact name for debugger summaries, e.g. `Linear(in=784, out=128)`; override to shorten. */
  shortDescription(): string {
    const children = this.ownEntries().children.length;
    return children ? `${this.constructor.name}(${children} ${children === 1 ? "child" : "children"})` : `${this.constructor.name}()`;
  }

  /** Read by VS Code's JavaScript debugger: `Linear(in=784, out=128) · 100,480 params · 0 frozen`. */
  [Symbol.for("debug.description")](): string {
    let total = 0;
    let frozen = 0;
    for (const param of this.parameters()) {
      const n = param.numel();
      total += n;
      if (!param.requiresGrad) frozen += n;
    }
    const mode = this.training ? "" : " · eval";
    return `${this.shortDescription()} · ${total.toLocaleString("en-US")} params · ${frozen.toLocaleString("en-US")} frozen${mode}`;
  }

  /** Read by VS Code's JavaScript debugger as the children to show: mode, parameters, submodules. */
  [Symbol.for("debug.properties")](): Record<string, unknown> {
    const out: Record<string, unknown> = { training: this.training };
    const { params, children } = this.ownEntries();
    for (const [name, param] of params) out[name] = param;
    for (const [name, buffer] of this._buffers) out[name] = buffer;
    for (const [name, child] of children) out[name] = child;
    return out;
  }
}

// The brand the debugger's inspector (engine/debug/inspector.ts) recognises modules by, without
// importing this class (the inspector must not depend on nn).
Object.defineProperty(Module.prototype, Symbol.for("gradscope.module"), { value: true });

/** Shared by Module.zeroGrad and Optimizer.zeroGrad (PyTorch's zero_grad for one tensor). */
export function zeroGradOf(param: Tensor, setToNone: boolean): void {
  const grad = param._grad;
  if (grad === null) return;
  if (setToNone) {
    param._grad = null;
    return;
  }
  if (grad._gradFn !== null) grad.detach_();
  else grad.requiresGrad_(false);
  grad.zero_();
}

/** What `parent` holds under a child name from ownEntries: a field, or `field.index` of an array field. */
function childHeldAs(parent: Module, name: string): unknown {
  const fields = parent as unknown as Record<string, unknown>;
  const dot = name.indexOf(".");
  if (dot < 0) return fields[name];
  const list = fields[name.slice(0, dot)];
  return Array.isArray(list) ? list[Number(name.slice(dot + 1))] : undefined;
}

function hidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
}

function removable<T>(list: T[], item: T): RemovableHandle {
  return {
    remove: () => {
      const at = list.indexOf(item);
      if (at >= 0) list.splice(at, 1);
    },
  };
}

function checkName(module: Module, name: string, kind: "parameter" | "module" | "buffer"): void {
  if (typeof name !== "string") throw new TorchTypeError(`${kind} name should be a string. Got ${typeof name}`);
  if (name.includes(".")) throw new KeyError(`${kind} name can't contain "."`);
  if (name === "") throw new KeyError(`${kind} name can't be empty string ""`);
  const existing = Object.getOwnPropertyDescriptor(module, name);
  const current = existing && "value" in existing ? existing.value : undefined;
  const sameKind =
    (kind === "parameter" && (current instanceof Parameter || current === null)) ||
    (kind === "module" && (current instanceof Module || current === null)) ||
    (kind === "buffer" && existing?.get !== undefined);
  if (existing && !sameKind) throw new KeyError(`attribute '${name}' already exists`);
}

function typeName(value: unknown): string {
  if (value instanceof Tensor) return legacyTypeName(value.dtype);
  if (value === null) return "NoneType";
  return typeof value === "object" ? (value as object).constructor?.name ?? "object" : typeof value;
}

function indentAfterFirstLine(text: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return text.split("\n").map((line, i) => (i === 0 ? line : pad + line)).join("\n");
}
