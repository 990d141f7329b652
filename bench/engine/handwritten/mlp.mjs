// Hand-written MLP training step (784→128→10, ReLU, softmax cross-entropy with mean
// reduction, plain SGD) with a manual backward pass, on Float32Arrays and the 4×4-tiled
// matmul. Weights are stored [in, out] so the forward is x·W (+ b). Like a tensor library,
// it allocates its activations and gradients afresh every step.
import { matmul } from "./matmul.mjs";
import { randn } from "../lib/data.mjs";

export function createMlp({ inputs, hidden, classes }, seed = 3) {
  return {
    inputs, hidden, classes,
    w1: randn(inputs * hidden, seed, 1 / Math.sqrt(inputs)),
    b1: new Float32Array(hidden),
    w2: randn(hidden * classes, seed + 1, 1 / Math.sqrt(hidden)),
    b2: new Float32Array(classes),
  };
}

/** One SGD step on batch x [B, inputs] with integer labels y. Returns the loss. */
export function mlpStep(net, x, y, batch, lr) {
  const { inputs: I, hidden: H, classes: C, w1, b1, w2, b2 } = net;

  // Forward: h = relu(x·W1 + b1), z = h·W2 + b2.
  const h = matmul(x, w1, batch, I, H);
  for (let r = 0; r < batch; r++) {
    const o = r * H;
    for (let j = 0; j < H; j++) {
      const v = h[o + j] + b1[j];
      h[o + j] = v > 0 ? v : 0;
    }
  }
  const z = matmul(h, w2, batch, H, C);

  // Softmax cross-entropy (mean over the batch); dz = (softmax - onehot) / B.
  const dz = new Float32Array(batch * C);
  let loss = 0;
  for (let r = 0; r < batch; r++) {
    const o = r * C;
    let max = -Infinity;
    for (let j = 0; j < C; j++) {
      const v = z[o + j] + b2[j];
      z[o + j] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let j = 0; j < C; j++) sum += Math.exp(z[o + j] - max);
    const logSum = Math.log(sum) + max;
    loss += logSum - z[o + y[r]];
    for (let j = 0; j < C; j++) dz[o + j] = Math.exp(z[o + j] - logSum) / batch;
    dz[o + y[r]] -= 1 / batch;
  }
  loss /= batch;

  // Backward: dW2 = hᵀ·dz, db2 = Σ dz, dh = dz·W2ᵀ masked by relu, dW1 = xᵀ·dh, db1 = Σ dh.
  const dw2 = matmul(h, dz, H, batch, C, undefined, { transA: true });
  const db2 = new Float32Array(C);
  for (let r = 0; r < batch; r++) for (let j = 0; j < C; j++) db2[j] += dz[r * C + j];
  const dh = matmul(dz, w2, batch, C, H, undefined, { transB: true });
  for (let i = 0; i < dh.length; i++) if (h[i] <= 0) dh[i] = 0;
  const dw1 = matmul(x, dh, I, batch, H, undefined, { transA: true });
  const db1 = new Float32Array(H);
  for (let r = 0; r < batch; r++) for (let j = 0; j < H; j++) db1[j] += dh[r * H + j];

  // SGD.
  sgd(w1, dw1, lr); sgd(b1, db1, lr); sgd(w2, dw2, lr); sgd(b2, db2, lr);
  return loss;
}

function sgd(p, g, lr) {
  for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
}
