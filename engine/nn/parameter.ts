/**
 * nn.Parameter: a leaf tensor that a Module registers as one of its parameters when it is
 * assigned to a field. It shares the storage (and the in-place version counter) of the
 * tensor it is made from, as PyTorch's Parameter shares `data`'s.
 */
import { Tensor } from "../tensor";

export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data._storage, data._shape.slice(), data.dtype, data._strides.slice(), data._offset, null);
    // Same counter as `data`, like PyTorch (Parameter is built from data.detach()): in-place
    // changes through either are seen by saved-tensor checks.
    this._version = data._version;
    // The setter checks the dtype (only floating point can require grad), with PyTorch's text.
    this.requiresGrad_(requiresGrad);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** The tensor's one-line debugger summary, named as what it is. */
  [Symbol.for("debug.description")](): string {
    const tensorDescription = (Tensor.prototype as unknown as Record<symbol, () => string>)[Symbol.for("debug.description")]!;
    return tensorDescription.call(this).replace(/^Tensor/, "Parameter");
  }
}

// The brand the debugger's inspector (engine/debug/inspector.ts) recognises parameters by.
Object.defineProperty(Parameter.prototype, Symbol.for("gradscope.parameter"), { value: true });

export function isParameter(value: unknown): value is Parameter {
  return value instanceof Parameter;
}
