// The two classic mistakes with non-leaf tensors, and their fixes.
// Gradscope warns about both in the editor before you run, and stops at them when debugging.
import { RuntimeError, tensor } from "gradscope";

const w = tensor([0.5, -1.0, 2.0], { requiresGrad: true });
const scaled = w.mul(2); // computed from w: not a leaf

// Mistake 1: trying to freeze a computed tensor.
try {
  scaled.requiresGrad = false;
} catch (error) {
  if (!(error instanceof RuntimeError)) throw error;
  console.log(`RuntimeError: ${error.message}`);
  console.log("fix: const frozen = scaled.detach();");
}
const frozen = scaled.detach();
console.log(`frozen.requiresGrad = ${frozen.requiresGrad}, frozen.isLeaf = ${frozen.isLeaf}`);

// Mistake 2: reading .grad of a non-leaf: it is null (and PyTorch warns).
const loss = scaled.pow(2).sum();
loss.backward();
console.log(`scaled.grad = ${scaled.grad}   (non-leaf: not kept)`);
console.log(`w.grad      = ${w.grad}`);

// Fix: ask for it with retainGrad() before backward().
const kept = w.mul(2);
kept.retainGrad();
kept.pow(2).sum().backward();
console.log(`kept.grad   = ${kept.grad}`);
