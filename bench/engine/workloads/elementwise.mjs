// Workload 4: (a*b + c).relu().sum() over 1e6 float32 elements, forward + backward, in ms.
// Gradients are cleared before each pass, so every pass writes fresh gradients.
import { elementwiseForward, elementwiseBackward } from "../handwritten/elementwise.mjs";
import { measure, measureInterleaved, pairedRatio, bestRatio, attempt } from "../lib/timing.mjs";
import { randn, nested } from "../lib/data.mjs";
import { call } from "../lib/libs.mjs";

const N = 1_000_000;

export async function run({ gs, tf, jt }) {
  const a = randn(N, 30);
  const b = randn(N, 31);
  const c = randn(N, 32);
  const ms = (t) => (!t || t.error ? t : { value: t.median, p25: t.p25, p75: t.p75, reps: t.reps, note: t.note });

  // Gradscope and hand-written alternate in blocks: their ratio is what matters.
  const gsSetup = gs ? attempt(() => {
    const A = gs.tensor(a, { requiresGrad: true });
    const B = gs.tensor(b, { requiresGrad: true });
    const C = gs.tensor(c, { requiresGrad: true });
    const clear = gradClearer([A, B, C]);
    const fn = () => {
      clear();
      A.mul(B).add(C).relu().sum().backward();
    };
    // Check the answer once against the hand-written one (sum and a few gradient entries).
    clear();
    const out = A.mul(B).add(C).relu().sum();
    out.backward();
    const { sum, pre } = elementwiseForward(a, b, c);
    const { ga } = elementwiseBackward(a, b, pre);
    const gaGs = A.grad.tolist();
    const same = Math.abs(out.item() - sum) <= 1e-4 * Math.abs(sum) && [0, 1, 2, 12345, N - 1].every((i) => gaGs[i] === ga[i]);
    const notes = [];
    if (!clear.works) notes.push("grads accumulate (grad not assignable)");
    if (!same) notes.push(`result differs from hand-written (sum ${out.item()} vs ${sum})`);
    return { fn, note: notes.join("; ") || undefined };
  }) : null;
  const pair = measureInterleaved({
    handwritten: () => {
      const { pre } = elementwiseForward(a, b, c);
      elementwiseBackward(a, b, pre);
    },
    gradscope: gsSetup?.fn ?? null,
  }, { warmup: 5, block: 5, minRounds: 4, maxRounds: 20, budgetMs: 3000 });

  const results = {
    handwritten: ms(pair.handwritten),
    gradscope: gsSetup?.error ? gsSetup : pair.gradscope ? { ...ms(pair.gradscope), note: gsSetup.note } : null,
    tfjs: tf ? ms(attempt(() => {
      const A = tf.tensor1d(a);
      const B = tf.tensor1d(b);
      const C = tf.tensor1d(c);
      const f = tf.grads((x, y, z) => tf.sum(tf.relu(tf.add(tf.mul(x, y), z))));
      return measure(() => {
        const grads = f([A, B, C]);
        for (const g of grads) { g.dataSync(); g.dispose(); }
      }, { warmup: 2, minReps: 5, maxReps: 20, budgetMs: 2000 });
    })) : null,
    // js-pytorch has no relu op; its nn.ReLU (x times a 1/0.001 mask) stands in.
    jsPytorch: jt ? ms(attempt(() => {
      const relu = new jt.nn.ReLU();
      const A = jt.tensor(nested(a, [N]), true);
      const B = jt.tensor(nested(b, [N]), true);
      const C = jt.tensor(nested(c, [N]), true);
      return measure(() => {
        for (const t of [A, B, C]) t.zero_grad();
        call(relu, A.mul(B).add(C)).sum().backward();
      }, { warmup: 1, minReps: 2, maxReps: 10, budgetMs: 2000 });
    })) : null,
  };
  if (results.jsPytorch && !results.jsPytorch.error) results.jsPytorch.note = "leaky ReLU (its nn.ReLU)";
  return [{
    id: "elementwise",
    workload: "(a*b + c).relu().sum() 1e6, fwd+bwd",
    unit: "ms",
    higherIsBetter: false,
    results,
    pairedRatio: pairedRatio(pair.gradscope?.blocks, pair.handwritten?.blocks),
    bestRatio: bestRatio(pair.gradscope, pair.handwritten),
    target: { op: "<=", value: 35, text: "≤ 35 ms" },
  }];
}

/** `t.grad = null` for each tensor (PyTorch's way to drop a grad), if the engine allows it. */
function gradClearer(tensors) {
  let works = true;
  try {
    for (const t of tensors) t.grad = null;
  } catch {
    works = false;
  }
  const clear = () => {
    if (works) for (const t of tensors) t.grad = null;
  };
  clear.works = works;
  return clear;
}
