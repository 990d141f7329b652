// Workload 1: float32 matmul of two n×n matrices, in GFLOP/s (2n³ flops per product).
import { matmul } from "../handwritten/matmul.mjs";
import { measure, attempt } from "../lib/timing.mjs";
import { randn, nested } from "../lib/data.mjs";

const SIZES = [256, 512];

export async function run({ gs, tf, jt }) {
  const rows = [];
  for (const n of SIZES) {
    const a = randn(n * n, 10);
    const b = randn(n * n, 11);
    const flops = 2 * n ** 3;
    const opts = { warmup: 2, minReps: 5, maxReps: 30, budgetMs: n >= 512 ? 3000 : 1500 };
    const gflops = (t) => (t.error ? t : { value: flops / t.median / 1e6, ms: t.median, reps: t.reps });

    const results = {
      handwritten: gflops(measure(() => matmul(a, b, n, n, n), opts)),
      gradscope: gs ? gflops(attempt(() => {
        const A = gs.tensor(a).reshape([n, n]);
        const B = gs.tensor(b).reshape([n, n]);
        return measure(() => A.matmul(B), opts);
      })) : null,
      tfjs: tf ? gflops(attempt(() => {
        const A = tf.tensor2d(a, [n, n]);
        const B = tf.tensor2d(b, [n, n]);
        const t = measure(() => {
          const C = tf.matMul(A, B);
          C.dataSync();
          C.dispose();
        }, opts);
        A.dispose(); B.dispose();
        return t;
      })) : null,
      // js-pytorch stores nested JS arrays; its 512 product takes seconds, so fewer reps.
      jsPytorch: jt ? gflops(attempt(() => {
        const A = jt.tensor(nested(a, [n, n]));
        const B = jt.tensor(nested(b, [n, n]));
        return measure(() => jt.matmul(A, B), { warmup: 1, minReps: n >= 512 ? 1 : 3, maxReps: 10, budgetMs: 2000 });
      })) : null,
    };
    rows.push({
      id: `matmul${n}`,
      workload: `matmul ${n}×${n} float32`,
      unit: "GFLOP/s",
      higherIsBetter: true,
      results,
      target: n === 512 ? { op: ">=", value: 4, text: "≥ 4 GFLOP/s" } : null,
    });
  }
  return rows;
}
