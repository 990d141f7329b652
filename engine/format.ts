/** PyTorch-style printing: `tensor([[1.0000, 2.0000]], requiresGrad=true)`. */
import type { Tensor } from "./tensor";

const EDGE_ITEMS = 3;
const SUMMARIZE_ABOVE = 1000;

function formatValue(value: number, t: Tensor): string {
  if (t.dtype === "bool") return value ? "True" : "False";
  if (t.dtype === "int64") return String(value);
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude >= 1e8 || magnitude < 1e-4) ? value.toExponential(4) : value.toFixed(4);
}

export function formatTensor(t: Tensor): string {
  const values = t.toArray();
  const shape = t.shape;
  const summarize = values.length > SUMMARIZE_ABOVE;
  const cells = values.map((v) => formatValue(v, t));
  const width = Math.max(0, ...cells.map((c) => c.length));
  const pad = (s: string) => s.padStart(width);

  const render = (dim: number, offset: number, indent: number): string => {
    if (dim === shape.length) return pad(cells[offset]!);
    const size = shape[dim]!;
    const step = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const indices = summarize && size > 2 * EDGE_ITEMS
      ? [...Array(EDGE_ITEMS).keys(), -1, ...Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i)]
      : [...Array(size).keys()];
    const parts = indices.map((i) => (i < 0 ? "..." : render(dim + 1, offset + i * step, indent + 1)));
    const separator = dim === shape.length - 1 ? ", " : ",\n" + "\n".repeat(shape.length - dim - 2) + " ".repeat(indent + 1);
    return `[${parts.join(separator)}]`;
  };

  const body = shape.length === 0 ? formatValue(values[0]!, t) : render(0, 0, "tensor(".length);
  const extras: string[] = [];
  if (t.dtype === "float64") extras.push("dtype=float64");
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.name()}>`);
  else if (t.requiresGrad) extras.push("requiresGrad=true");
  return `tensor(${body}${extras.length ? ", " + extras.join(", ") : ""})`;
}
