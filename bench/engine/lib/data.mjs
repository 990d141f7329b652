// Deterministic inputs shared by all contenders (so every library sees the same numbers).

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function rng(seed = 1) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n standard-normal float32 values (Box–Muller), times `scale`. */
export function randn(n, seed = 1, scale = 1) {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - r();
    const v = r();
    const m = Math.sqrt(-2 * Math.log(u)) * scale;
    out[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** n integer class labels in [0, classes). */
export function labels(n, classes, seed = 2) {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.floor(r() * classes));
}

/** Flat row-major Float32Array -> nested JS arrays (js-pytorch's storage). */
export function nested(flat, shape) {
  if (shape.length === 1) return Array.from(flat);
  const [n, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => nested(flat.subarray(i * step, (i + 1) * step), rest));
}

/** The MLP workload's fixed sizes (batch 64, 784→128→10). */
export const MLP = { batch: 64, inputs: 784, hidden: 128, classes: 10, lr: 0.01 };
