/** Finds the first NaN or ±Infinity among a node's gradInputs (the `nanInf` exception filter). */
import type { Tensor } from "../tensor";
import type { NonFiniteFinding } from "./inspectTypes";

export function firstNonFinite(gradInputs: ReadonlyArray<Tensor | null>): NonFiniteFinding | null {
  for (let inputIndex = 0; inputIndex < gradInputs.length; inputIndex++) {
    const grad = gradInputs[inputIndex];
    if (!grad) continue;
    const flat = grad._contiguous ? grad : grad.contiguous();
    const values = flat._storage;
    const start = flat._offset;
    const n = flat.numel();
    for (let i = 0; i < n; i++) {
      const v = values[start + i]!;
      // v - v is NaN exactly for NaN and ±Infinity: one test per element on the common path.
      if (v - v === 0) continue;
      return {
        inputIndex,
        flatIndex: i,
        index: multiIndex(i, grad.shape),
        value: v !== v ? "NaN" : v > 0 ? "Infinity" : "-Infinity",
      };
    }
  }
  return null;
}

function multiIndex(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    index[d] = size === 0 ? 0 : rest % size;
    rest = size === 0 ? 0 : Math.floor(rest / size);
  }
  return index;
}
