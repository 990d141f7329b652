// Fine-tuning as in PyTorch's docs: freeze a "pretrained" backbone, replace the last layer,
// and optimize only the new layer. Frozen parameters keep grad === null.
import { manualSeed, nn, optim, randn, randint } from "gradscope";

manualSeed(1);

class Backbone extends nn.Module {
  fc1 = new nn.Linear(8, 16);
  act = new nn.ReLU();
  fc2 = new nn.Linear(16, 16);
  head = new nn.Linear(16, 10);
  forward(x: import("gradscope").Tensor) {
    return this.head.call(this.act.call(this.fc2.call(this.act.call(this.fc1.call(x)))));
  }
}

const model = new Backbone(); // imagine these weights were pretrained
for (const param of model.parameters()) param.requiresGrad = false;

// Replace the last layer: new parameters require grad by default.
model.head = new nn.Linear(16, 3);

const optimizer = new optim.SGD(model.head.parameters(), { lr: 0.1, momentum: 0.9 });
const lossFn = new nn.CrossEntropyLoss();
const x = randn([32, 8]);
const y = randint(0, 3, [32]);

for (let step = 0; step < 30; step++) {
  optimizer.zeroGrad();
  const loss = lossFn.call(model.call(x), y);
  loss.backward();
  optimizer.step();
  if (step % 10 === 0) console.log(`step ${step}  loss ${loss.item().toFixed(4)}`);
}

for (const [name, p] of model.namedParameters()) {
  console.log(`${name.padEnd(12)} requiresGrad=${String(p.requiresGrad).padEnd(5)} grad=${p.grad === null ? "null (frozen)" : "✓"}`);
}
