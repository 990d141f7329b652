/** The layers: Linear, Sequential, activations, Dropout, Identity, Flatten, (Log)Softmax. */
import { allocate, DEFAULT_DTYPE, type DType } from "../dtype";
import { Tensor } from "../tensor";
import * as F from "./functional";
import * as init from "./init";
import { Module } from "./module";
import { Parameter } from "./parameter";

function pyBool(flag: boolean): string {
  return flag ? "True" : "False";
}

/** An uninitialised (zero-filled) parameter of the given shape; init fills it. */
function emptyParameter(shape: number[], dtype: DType): Parameter {
  return new Parameter(new Tensor(allocate(dtype, shape.reduce((p, d) => p * d, 1)), shape, dtype));
}

/** y = x·Wᵀ + b. weight: [out, in]; bias: [out] (null with `bias: false`). */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    { bias = true, dtype = DEFAULT_DTYPE }: { bias?: boolean; dtype?: DType } = {},
  ) {
    super();
    this.weight = emptyParameter([outFeatures, inFeatures], dtype);
    this.bias = bias ? emptyParameter([outFeatures], dtype) : null;
    this.resetParameters();
  }

  /**
   * PyTorch's default: kaiming_uniform_(a=√5), i.e. W ~ U(−1/√in, 1/√in), and b ~ U(−1/√in, 1/√in).
   */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }

  override shortDescription(): string {
    return `Linear(in=${this.inFeatures}, out=${this.outFeatures}${this.bias === null ? ", bias=false" : ""})`;
  }
}

/**
 * Runs its children in order, each child's output feeding the next. Children are fields named
 * "0", "1", ... (or the keys of an object passed instead, like PyTorch's OrderedDict form).
 */
export class Sequential extends Module {
  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0];
    const named: Array<[string, Module]> =
      modules.length === 1 && !(first instanceof Module) && first !== undefined
        ? Object.entries(first)
        : (modules as Module[]).map((m, i) => [String(i), m]);
    for (const [name, module] of named) this.registerModule(name, module);
  }

  /** The children in order; a module added twice appears (and runs) twice, as in PyTorch. */
  private sequence(): Module[] {
    return this.ownEntries().children.map(([, m]) => m);
  }

  forward(input: Tensor): Tensor {
    let x = input;
    for (const module of this.sequence()) x = module.call(x);
    return x;
  }

  get length(): number {
    return this.sequence().length;
  }

  /** The i-th child (negative counts from the end). */
  at(index: number): Module | undefined {
    return this.sequence().at(index);
  }

  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.sequence()[Symbol.iterator]();
  }
}

export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return F.relu(input);
  }
}

export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}

/** Zeroes elements with probability p while training (scaling the rest by 1/(1−p)); identity in eval. */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    F.checkDropoutProbability(p);
  }

  forward(input: Tensor): Tensor {
    return F.dropout(input, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}

/** Flattens dims startDim..endDim (by default all but the batch dim). */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }

  forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

export class Softmax extends Module {
  constructor(readonly dim: number | null = null) {
    super();
  }

  forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim ?? "None"}`;
  }
}

export class LogSoftmax extends Module {
  constructor(readonly dim: number | null = null) {
    super();
  }

  forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim ?? "None"}`;
  }
}
