// Linear regression by hand: y = 3x - 1 plus noise, fitted with plain gradient descent.
// Watch `w` and `b` in the Variables view: leaves that require grad, with a grad after backward().
import { manualSeed, noGrad, randn, tensor, zeros } from "gradscope";

manualSeed(42);
const x = randn([100, 1]);
const y = x.mul(3).sub(1).add(randn([100, 1]).mul(0.1));

const w = zeros([1, 1], { requiresGrad: true });
const b = zeros([1], { requiresGrad: true });
const lr = 0.1;

for (let epoch = 0; epoch < 100; epoch++) {
  const prediction = x.matmul(w).add(b);
  const loss = prediction.sub(y).pow(2).mean();
  loss.backward();
  noGrad(() => {
    w.sub_(w.grad!.mul(lr));
    b.sub_(b.grad!.mul(lr));
  });
  w.grad = null;
  b.grad = null;
  if (epoch % 20 === 0) console.log(`epoch ${epoch}  loss ${loss.item().toFixed(5)}`);
}

console.log(`learned w = ${w.item().toFixed(3)} (true 3), b = ${b.item().toFixed(3)} (true -1)`);
console.log(`check: ${tensor([2]).mul(w.item()).add(b.item()).item().toFixed(3)} ≈ 5`);
