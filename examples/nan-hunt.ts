// Where did this NaN come from? log(0) gives -Infinity forward and NaN in backward (0 · ∞).
// Under the debugger, enable the "NaN or Inf in backward" exception filter to stop at the
// node that produced it, shown at this file's forward line. Without it, anomaly mode says where.
import { autograd, RuntimeError, tensor } from "gradscope";

const probabilities = tensor([0.7, 0.3, 0.0], { requiresGrad: true });
const weights = tensor([1, 1, 0]);

const logs = probabilities.log(); // log(0) = -Infinity
const loss = logs.mul(weights).sum().neg(); // 0 · -Infinity = NaN
console.log(`loss = ${loss.item()}`);

loss.backward(null, { retainGraph: true });
console.log(`probabilities.grad = ${probabilities.grad}  <- NaN in the last element`);

// Anomaly mode records where each op ran, and raises at the first NaN in backward.
probabilities.grad = null;
try {
  autograd.detectAnomaly(() => {
    const again = probabilities.log().mul(weights).sum().neg();
    again.backward();
  });
} catch (error) {
  if (!(error instanceof RuntimeError)) throw error;
  console.log(`anomaly mode: ${error.message}`);
}

// The fix: clamp before the log.
const safe = probabilities.clamp(1e-12).log().mul(weights).sum().neg();
probabilities.grad = null;
safe.backward();
console.log(`with clamp: probabilities.grad = ${probabilities.grad}`);
