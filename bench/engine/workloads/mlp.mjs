// Workload 2: one MLP training step — batch 64, 784→128→10, ReLU, cross-entropy (mean),
// SGD lr 0.01 — in ms per step (zero grads, forward, loss, backward, update).
import { createMlp, mlpStep } from "../handwritten/mlp.mjs";
import { measure, measureInterleaved, pairedRatio, bestRatio, attempt } from "../lib/timing.mjs";
import { randn, labels, nested, MLP } from "../lib/data.mjs";
import { call } from "../lib/libs.mjs";

const { batch, inputs, hidden, classes, lr } = MLP;

export function mlpInputs() {
  return { x: randn(batch * inputs, 20), y: labels(batch, classes, 21) };
}

/** A Gradscope model + optimizer and a `step()` closure (also used by the inspector workload). */
export function gradscopeMlp(gs) {
  const { x, y } = mlpInputs();
  gs.manualSeed(0);
  const model = new gs.nn.Sequential(
    new gs.nn.Linear(inputs, hidden),
    new gs.nn.ReLU(),
    new gs.nn.Linear(hidden, classes),
  );
  const lossFn = new gs.nn.CrossEntropyLoss();
  const opt = new gs.optim.SGD(model.parameters(), { lr });
  const X = gs.tensor(x).reshape([batch, inputs]);
  const Y = gs.tensor(y, { dtype: "int64" });
  return function step() {
    opt.zeroGrad();
    const loss = call(lossFn, call(model, X), Y);
    loss.backward();
    opt.step();
    return loss;
  };
}

export function tfjsMlp(tf) {
  const { x, y } = mlpInputs();
  const X = tf.tensor2d(x, [batch, inputs]);
  const Y = tf.oneHot(tf.tensor1d(y, "int32"), classes).toFloat();
  const w1 = tf.variable(tf.randomNormal([inputs, hidden], 0, 1 / Math.sqrt(inputs), "float32", 1));
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = tf.variable(tf.randomNormal([hidden, classes], 0, 1 / Math.sqrt(hidden), "float32", 2));
  const b2 = tf.variable(tf.zeros([classes]));
  const opt = tf.train.sgd(lr);
  return function step() {
    const cost = opt.minimize(() => {
      const h = tf.relu(tf.add(tf.matMul(X, w1), b1));
      const z = tf.add(tf.matMul(h, w2), b2);
      return tf.losses.softmaxCrossEntropy(Y, z);
    }, true);
    cost.dataSync();
    cost.dispose();
  };
}

/**
 * js-pytorch has no SGD (only Adam) and its nn.ReLU multiplies by a 1/0.001 mask (a leaky
 * ReLU); the step below uses its Linear/ReLU/CrossEntropyLoss and a plain SGD update on
 * its nested-array storage.
 */
export function jsPytorchMlp(jt) {
  const { x, y } = mlpInputs();
  const X = jt.tensor(nested(x, [batch, inputs]));
  const Y = jt.tensor(y);
  const l1 = new jt.nn.Linear(inputs, hidden);
  const act = new jt.nn.ReLU();
  const l2 = new jt.nn.Linear(hidden, classes);
  const lossFn = new jt.nn.CrossEntropyLoss();
  const params = [l1.W, l1.b, l2.W, l2.b];
  const update = (p, g) => (Array.isArray(p) ? p.map((v, i) => update(v, g[i])) : p - lr * g);
  return function step() {
    const loss = lossFn.forward(l2.forward(act.forward(l1.forward(X))), Y);
    loss.backward();
    for (const p of params) {
      p._data = update(p._data, p._grad._data);
      p.zero_grad();
    }
    return loss;
  };
}

export function handwrittenMlp() {
  const { x, y } = mlpInputs();
  const net = createMlp({ inputs, hidden, classes });
  return () => mlpStep(net, x, y, batch, lr);
}

export async function run({ gs, tf, jt }) {
  const ms = (t) => (!t || t.error ? t : { value: t.median, p25: t.p25, p75: t.p75, reps: t.reps });
  const timeSteps = (make, opts) => attempt(() => ms(measure(make(), opts)));
  // Gradscope and hand-written alternate in blocks: their ratio is the target.
  const gsSetup = gs ? attempt(() => ({ fn: gradscopeMlp(gs) })) : null;
  const pair = measureInterleaved(
    { handwritten: handwrittenMlp(), gradscope: gsSetup?.fn ?? null },
    { warmup: 10, block: 10, minRounds: 6, maxRounds: 30, budgetMs: 5000 },
  );
  const results = {
    handwritten: ms(pair.handwritten),
    gradscope: gsSetup?.error ? gsSetup : ms(pair.gradscope ?? null),
    tfjs: tf ? timeSteps(() => tfjsMlp(tf), { warmup: 3, minReps: 10, maxReps: 40, budgetMs: 2500 }) : null,
    jsPytorch: jt ? timeSteps(() => jsPytorchMlp(jt), { warmup: 1, minReps: 3, maxReps: 15, budgetMs: 2000 }) : null,
  };
  if (results.jsPytorch && !results.jsPytorch.error) results.jsPytorch.note = "leaky ReLU (its nn.ReLU), SGD by hand";
  return [{
    id: "mlpStep",
    workload: "MLP step (64, 784→128→10, SGD)",
    unit: "ms",
    higherIsBetter: false,
    results,
    pairedRatio: pairedRatio(pair.gradscope?.blocks, pair.handwritten?.blocks),
    bestRatio: bestRatio(pair.gradscope, pair.handwritten),
    target: { ratioTo: "handwritten", max: 1.3, text: "≤ 1.3× hand-written" },
  }];
}
