// An MLP classifier on synthetic data: two interleaved spirals, 2 features, 2 classes.
// Set a breakpoint on `loss.backward()` and Step Into to watch the backward pass node by node.
import { manualSeed, nn, optim, noGrad, tensor, type Tensor } from "gradscope";

manualSeed(0);

/** Two spirals of `perClass` points each; labels 0 and 1. */
function spirals(perClass: number): { x: Tensor; y: Tensor } {
  const points: number[][] = [];
  const labels: number[] = [];
  for (let label = 0; label < 2; label++) {
    for (let i = 0; i < perClass; i++) {
      const r = i / perClass;
      const angle = 4 * r + label * Math.PI + 0.2 * Math.sin(i * 12.9898 + label);
      points.push([r * Math.cos(angle), r * Math.sin(angle)]);
      labels.push(label);
    }
  }
  return { x: tensor(points), y: tensor(labels, { dtype: "int64" }) };
}

const { x, y } = spirals(100);
const model = new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 2));
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(model.parameters(), { lr: 0.02 });

for (let step = 0; step <= 200; step++) {
  optimizer.zeroGrad();
  const logits = model.call(x);
  const loss = lossFn.call(logits, y);
  loss.backward();
  optimizer.step();
  if (step % 50 === 0) {
    const accuracy = noGrad(() => logits.argmax(1).eq(y).to("float32").mean().item());
    console.log(`step ${String(step).padStart(3)}  loss ${loss.item().toFixed(4)}  accuracy ${(accuracy * 100).toFixed(1)}%`);
  }
}

console.log("\nGradient summary after the last step:");
for (const [name, p] of model.namedParameters()) {
  const norm = p.grad ? p.grad.norm().item().toFixed(4) : "none";
  console.log(`  ${name.padEnd(10)} ${`[${p.shape.join(", ")}]`.padEnd(9)} requiresGrad=${p.requiresGrad}  ‖grad‖=${norm}`);
}
