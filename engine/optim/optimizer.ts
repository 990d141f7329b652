/**
 * The Optimizer base class, as torch/optim/optimizer.py: parameter groups that fall back to
 * the optimizer's defaults, per-parameter state, zeroGrad, and step() under noGrad.
 * Subclasses implement `updateGroup`, which receives only parameters that have a gradient
 * (a frozen or unused parameter keeps `grad === null` and is skipped, as in PyTorch).
 */
import { TorchTypeError, ValueError } from "../errors";
import { legacyTypeName } from "../dtype";
import { enableGrad, noGrad } from "../autograd/gradMode";
import { Tensor } from "../tensor";
import { warn } from "../warnings";
import { zeroGradOf } from "../nn/module";

/** A group as given by the user: its params plus any options overriding the defaults. */
export type ParamGroupInput<O> = Partial<O> & { params: Iterable<Tensor> | Tensor };

/** A group as stored: every option resolved. */
export type ParamGroup<O> = O & { params: Tensor[] };

export type Params<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

export interface OptimizerStateDict<O, S> {
  state: Record<number, S>;
  paramGroups: Array<O & { params: number[] }>;
}

export abstract class Optimizer<O extends object, S extends object = Record<string, unknown>> {
  readonly defaults: O;
  readonly paramGroups: Array<ParamGroup<O>> = [];
  /** Per-parameter state (momentum buffers, moment estimates), created on a parameter's first step. */
  readonly state = new Map<Tensor, S>();

  constructor(params: Params<O>, defaults: O) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TorchTypeError(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${legacyTypeName(params.dtype)}`,
      );
    }
    const groups = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (groups.length === 0) throw new ValueError("optimizer got an empty parameter list");
    const asGroups = isGroup(groups[0]) ? (groups as Array<ParamGroupInput<O>>) : [{ params: groups as Tensor[] } as unknown as ParamGroupInput<O>];
    for (const group of asGroups) this.addParamGroup(group);
  }

  /** Add a group (e.g. unfrozen layers during fine-tuning); missing options take the defaults. */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (typeof group !== "object" || group === null) throw new TorchTypeError("param group must be a dict");
    const source = group.params;
    if (source instanceof Set) {
      throw new TorchTypeError(
        "optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.",
      );
    }
    const params = source instanceof Tensor ? [source] : [...source];
    for (const param of params) {
      if (!(param instanceof Tensor)) {
        throw new TorchTypeError(`optimizer can only optimize Tensors, but one of the params is ${describeType(param)}`);
      }
      if (!(param.isLeaf || param.retainsGrad)) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    if (new Set(params).size !== params.length) {
      warn(
        "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; " +
          "see github.com/pytorch/pytorch/issues/40967 for more information",
      );
    }
    for (const existing of this.paramGroups) {
      for (const param of existing.params) {
        if (params.includes(param)) throw new ValueError("some parameters appear in more than one parameter group");
      }
    }
    this.paramGroups.push({ ...this.defaults, ...withoutUndefined(group), params } as ParamGroup<O>);
  }

  /** Reset gradients: to null (the default, as PyTorch 2.x), or to zeros in place. */
  zeroGrad({ setToNone = true }: { setToNone?: boolean } = {}): void {
    for (const group of this.paramGroups) for (const param of group.params) zeroGradOf(param, setToNone);
  }

  /**
   * One update of every parameter that has a gradient. `closure` (re-evaluating the loss, with
   * grad enabled) is optional, as in PyTorch; its result is returned.
   */
  step<L = undefined>(closure?: () => L): L | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) {
        const withGrad = group.params.filter((p) => p._grad !== null);
        if (withGrad.length > 0) this.updateGroup(group, withGrad);
      }
    });
    return loss;
  }

  protected abstract updateGroup(group: ParamGroup<O>, params: Tensor[]): void;

  /** The state of `param`, created by `init` on its first step. */
  protected stateFor(param: Tensor, init: () => S): S {
    let state = this.state.get(param);
    if (state === undefined) {
      state = init();
      this.state.set(param, state);
    }
    return state;
  }

  /**
   * A checkpoint of the optimizer: per-parameter state keyed by the parameter's position across
   * the groups, and each group's options with `params` as those positions (PyTorch's layout).
   */
  stateDict(): OptimizerStateDict<O, S> {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => ({
      ...group,
      params: group.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      }),
    }));
    const state: Record<number, S> = {};
    for (const [param, entry] of this.state) {
      const at = index.get(param);
      if (at !== undefined) state[at] = { ...entry };
    }
    return { state, paramGroups };
  }

  /** Restore a stateDict() onto an optimizer over parameters of the same shapes (state tensors are copied). */
  loadStateDict(stateDict: OptimizerStateDict<O, S>): void {
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw new ValueError("loaded state dict has a different number of parameter groups");
    }
    if (saved.some((group, i) => group.params.length !== this.paramGroups[i]!.params.length)) {
      throw new ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((group, i) => group.params.forEach((at, k) => byIndex.set(at, this.paramGroups[i]!.params[k]!)));
    this.state.clear();
    for (const [at, entry] of Object.entries(stateDict.state)) {
      const param = byIndex.get(Number(at));
      if (!param) continue;
      const copy = Object.fromEntries(
        Object.entries(entry as object).map(([key, value]) => [key, value instanceof Tensor ? value.detach().clone() : value]),
      );
      this.state.set(param, copy as S);
    }
    saved.forEach((group, i) => {
      const { params: _positions, ...options } = group;
      Object.assign(this.paramGroups[i]!, options);
    });
  }

  /** PyTorch's optimizer repr: the class name and each group's options. */
  toString(): string {
    const groups = this.paramGroups.map((group, i) => {
      const options = Object.entries(group)
        .filter(([key]) => key !== "params")
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, value]) => `    ${key}: ${Array.isArray(value) ? `(${value.join(", ")})` : String(value)}`);
      return `Parameter Group ${i}\n${options.join("\n")}`;
    });
    return `${this.constructor.name} (\n${groups.join("\n")}\n)`;
  }
}

function isGroup(value: unknown): boolean {
  return typeof value === "object" && value !== null && !(value instanceof Tensor) && "params" in value;
}

/** Options explicitly passed as `undefined` mean "use the default", as omitted keyword arguments do. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}

/** The constructor checks of torch/optim/*.py: `Invalid learning rate: -0.1`. NaN fails too. */
export function checkNonNegative(value: number, what: string): void {
  if (!(value >= 0)) throw new ValueError(`Invalid ${what}: ${value}`);
}
