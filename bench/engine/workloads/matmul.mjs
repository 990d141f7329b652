// Workload 1: float32 matmul of two n×n matrices, in GFLOP/s (2n³ flops per product).
// Gradscope and the hand-written kernel run in interleaved blocks (their ratio is what the
// target is about); tfjs and js-pytorch are timed after them.
import { matmul } from "../handwritten/matmul.mjs";
import { measure, measureInterleaved, pairedRatio, bestRatio, attempt } from "../lib/timing.mjs";
import { randn, nested } from "../lib/data.mjs";

const SIZES = [256, 512];

export async function run({ gs, tf, jt }) {
  const rows = [];
  for (const n of SIZES) {
    const a = randn(n * n, 10);
    const b = randn(n * n, 11);
    const flops = 2 * n ** 3;
    const gflops = (t) => (!t || t.error ? t : { value: flops / t.median / 1e6, ms: t.median, reps: t.reps });

    const gsSetup = gs ? attempt(() => {
      const A = gs.tensor(a).reshape([n, n]);
      const B = gs.tensor(b).reshape([n, n]);
      return { fn: () => A.matmul(B) };
    }) : null;
    const pair = measureInterleaved(
      { handwritten: () => matmul(a, b, n, n, n), gradscope: gsSetup?.fn ?? null },
      { warmup: 2, block: n >= 512 ? 2 : 5, minRounds: 4, maxRounds: 20, budgetMs: n >= 512 ? 4000 : 2000 },
    );

    const results = {
      handwritten: gflops(pair.handwritten),
      gradscope: gsSetup?.error ? gsSetup : gflops(pair.gradscope ?? null),
      tfjs: tf ? gflops(attempt(() => {
        const A = tf.tensor2d(a, [n, n]);
        const B = tf.tensor2d(b, [n, n]);
        const t = measure(() => {
          const C = tf.matMul(A, B);
          C.dataSync();
          C.dispose();
        }, { warmup: 2, minReps: 5, maxReps: 20, budgetMs: 1500 });
        A.dispose(); B.dispose();
        return t;
      })) : null,
      // js-pytorch stores nested JS arrays; its 512 product takes about a second.
      jsPytorch: jt ? gflops(attempt(() => {
        const A = jt.tensor(nested(a, [n, n]));
        const B = jt.tensor(nested(b, [n, n]));
        return measure(() => jt.matmul(A, B), { warmup: 1, minReps: n >= 512 ? 2 : 3, maxReps: 10, budgetMs: 1500 });
      })) : null,
    };
    rows.push({
      id: `matmul${n}`,
      workload: `matmul ${n}×${n} float32`,
      unit: "GFLOP/s",
      higherIsBetter: true,
      results,
      pairedRatio: pairedRatio(pair.gradscope?.blocks, pair.handwritten?.blocks),
      bestRatio: bestRatio(pair.gradscope, pair.handwritten),
      target: n === 512 ? { op: ">=", value: 4, text: "≥ 4 GFLOP/s" } : null,
    });
  }
  return rows;
}
