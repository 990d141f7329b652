/**
 * How a tensor reads in a debugger: one line with its autograd status, and its children.
 * Shared by `Symbol.for("debug.description")` (VS Code's JS debugger) and the Gradscope adapter.
 */
import type { Tensor } from "../tensor";

export interface GradStats {
  norm: number;
  min: number;
  max: number;
  mean: number;
  hasNaN: boolean;
  hasInf: boolean;
}

export function gradStats(t: Tensor): GradStats {
  const values = t.contiguous()._storage;
  const start = t.contiguous()._offset;
  const n = t.numel();
  let sumSquares = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let hasNaN = false;
  let hasInf = false;
  for (let i = 0; i < n; i++) {
    const v = values[start + i]!;
    if (v !== v) {
      hasNaN = true;
      continue;
    }
    if (v === Infinity || v === -Infinity) hasInf = true;
    sumSquares += v * v;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { norm: hasNaN ? NaN : Math.sqrt(sumSquares), min, max, mean: n ? sum / n : 0, hasNaN, hasInf };
}

/** Short human number: 0.42, 1.23e-7, 12345 -> 1.23e+4. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude >= 1e4 || magnitude < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

export function gradStatus(t: Tensor): string {
  const grad = t._grad;
  if (grad === null) return "grad ∅";
  const stats = gradStats(grad);
  const warning = stats.hasNaN || stats.hasInf ? " ⚠" : "";
  return `grad ✓ ‖g‖=${formatNumber(stats.norm)}${warning}`;
}

/** Why a tensor has no gradient and what to do about it; null when it has one. */
export function gradHint(t: Tensor): string | null {
  if (t._grad !== null) return null;
  if (!t.requiresGrad) return "null: this tensor does not require grad (set requiresGrad = true on a leaf to get one)";
  if (!t.isLeaf && !t._retainsGrad) {
    return `null: non-leaf tensor (created by ${t._gradFn!.name()}); its gradient is not kept. Call .retainGrad() before backward() to keep it`;
  }
  return "null: no backward() has reached this tensor yet";
}

/** `Tensor[2, 3] float32 · leaf · requiresGrad · grad ∅` */
export function describeTensor(t: Tensor): string {
  const parts = [`Tensor[${t.shape.join(", ")}] ${t.dtype}`];
  if (t.isLeaf) {
    parts.push("leaf");
    parts.push(t.requiresGrad ? "requiresGrad" : "requiresGrad=false");
    if (t.requiresGrad || t._grad !== null) parts.push(gradStatus(t));
  } else {
    parts.push(t._gradFn!.name());
    parts.push("requiresGrad");
    parts.push(t._retainsGrad ? gradStatus(t) : "grad not retained");
  }
  return parts.join(" · ");
}

const PREVIEW_LIMIT = 100;

/** Children shown by VS Code's built-in JavaScript debugger. */
export function debugProperties(t: Tensor): Record<string, unknown> {
  const n = t.numel();
  const preview = n <= PREVIEW_LIMIT ? t.tolist() : `${t.toArray().slice(0, PREVIEW_LIMIT).join(", ")}, … (${n} elements)`;
  return {
    requiresGrad: t.requiresGrad,
    isLeaf: t.isLeaf,
    grad: t._grad ?? gradHint(t),
    gradFn: t._gradFn ? t._gradFn.name() : null,
    shape: [...t.shape],
    dtype: t.dtype,
    data: preview,
  };
}
