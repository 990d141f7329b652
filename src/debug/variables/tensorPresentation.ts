/**
 * Tensor and nn.Module presentation: the fixed child names and value texts users read in
 * the Variables view (see DESIGN.md "Variables"). Pure functions over the engine's
 * TensorInfo / ModuleInfo so the wording lives in one place.
 */
import type { ModuleParameterInfo, RawGradSummary, TensorInfo } from "../../../engine/debug/inspectTypes";

/** Children of an expanded tensor, in this order, with these exact names. */
export const TENSOR_CHILD_NAMES = ["requiresGrad", "isLeaf", "grad", "gradFn", "shape", "dtype", "data"] as const;

export function formatShape(shape: number[]): string {
  return `[${shape.join(", ")}]`;
}

export function formatGradSummary(grad: RawGradSummary): string {
  const flags = [grad.hasNaN ? "NaN!" : "", grad.hasInf ? "Inf!" : ""].filter(Boolean).join(" ");
  return `‖g‖=${formatNumber(grad.norm)} min=${formatNumber(grad.min)} max=${formatNumber(grad.max)}${flags ? " " + flags : ""}`;
}

/** The `grad` child's value: the summary, or why it is empty (the engine's hint). */
export function gradValueText(info: TensorInfo): string {
  if (info.grad) return `Tensor${formatShape(info.shape)} ${info.dtype} · ${formatGradSummary(info.grad)}`;
  if (info.gradHint) return `∅ — ${info.gradHint.replace(/^null:\s*/, "")}`;
  if (!info.requiresGrad) return "∅ — this tensor does not require grad";
  return "∅ — no gradient yet: call backward() on a result that depends on it";
}

/** `data` child's value: a short preview when small, else its extent. */
export function dataValueText(info: TensorInfo, preview: number[] | undefined): string {
  if (preview && preview.length === info.numel) return `[${preview.map(formatNumber).join(", ")}]`;
  return `${info.dtype}${formatShape(info.shape)} (${info.numel.toLocaleString("en-US")} values)`;
}

/** Row-major flat index -> `[i, j, k]` for the tensor's shape. */
export function indexName(flat: number, shape: number[]): string {
  if (shape.length <= 1) return `[${flat}]`;
  const index: number[] = new Array(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    index[d] = size === 0 ? 0 : rest % size;
    rest = size === 0 ? 0 : Math.floor(rest / size);
  }
  return `[${index.join(", ")}]`;
}

export function parameterValueText(param: ModuleParameterInfo): string {
  return param.frozen && !/\bfrozen\b/.test(param.description) ? `${param.description} · frozen` : param.description;
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return String(value);
  const text = value.toPrecision(4);
  return String(Number(text));
}
