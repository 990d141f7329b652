/** Element types and their storage. int64 and bool are for indices, labels and masks only. */
export type DType = "float32" | "float64" | "int64" | "bool";
export type Storage = Float32Array | Float64Array;

export const DEFAULT_DTYPE: DType = "float32";

export function isFloatingPoint(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/**
 * int64 is stored in a Float64Array: every index and class label a program uses fits exactly
 * in 53 bits, and one storage kind keeps every kernel simple. bool is stored as 0/1 the same way.
 */
export function allocate(dtype: DType, size: number): Storage {
  return dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
}

/** PyTorch's type promotion for two tensors (category first, then width). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "float64" || b === "float64") return "float64";
  if (a === "float32" || b === "float32") return "float32";
  if (a === "int64" || b === "int64") return "int64";
  return "bool";
}

/** A plain JS number operand keeps a floating tensor's dtype; it lifts an integer tensor to float only when fractional. */
export function promoteWithScalar(tensorType: DType, scalar: number): DType {
  if (isFloatingPoint(tensorType)) return tensorType;
  return Number.isInteger(scalar) ? (tensorType === "bool" ? "int64" : tensorType) : DEFAULT_DTYPE;
}

/** The name PyTorch uses in messages: "torch.FloatTensor". */
export function legacyTypeName(dtype: DType): string {
  switch (dtype) {
    case "float32": return "torch.FloatTensor";
    case "float64": return "torch.DoubleTensor";
    case "int64": return "torch.LongTensor";
    case "bool": return "torch.BoolTensor";
  }
}

export function castValue(dtype: DType, value: number): number {
  if (dtype === "int64") return Math.trunc(value);
  if (dtype === "bool") return value ? 1 : 0;
  return value;
}
