// The generated program the editor benchmark analyses (also handy for profiling).

/**
 * A realistic program: every kind of statement the analysis follows (ops, modules, loops,
 * branches, try/catch, closures, noGrad) and both mistakes, repeated to ~1,000 lines.
 */
export function generateProgram(targetLines = 1000) {
  const lines = [`import { tensor, zeros, randn, noGrad, nn, optim, add, cat } from "gradscope";`, ""];
  for (let i = 0; lines.length < targetLines; i++) {
    lines.push(
      `// ---- block ${i}`,
      `const w${i} = tensor([0.5, -1.0, 2.0], { requiresGrad: true });`,
      `const b${i} = zeros(3);`,
      `const scaled${i} = w${i}.mul(2).add(b${i});`,
      `const model${i} = new nn.Sequential(new nn.Linear(3, 8), new nn.ReLU(), new nn.Linear(8, 1));`,
      `const lossFn${i} = new nn.MSELoss();`,
      `const optimizer${i} = new optim.SGD(model${i}.parameters(), { lr: 0.01 });`,
      `let h${i} = add(scaled${i}, w${i}).relu();`,
      `if (h${i}.numel() > 2) {`,
      `  h${i} = cat([h${i}, scaled${i}]).sum();`,
      `} else {`,
      `  h${i} = h${i}.detach();`,
      `}`,
      `for (let step = 0; step < 5; step++) {`,
      `  optimizer${i}.zeroGrad();`,
      `  const pred = model${i}.call(randn(4, 3));`,
      `  const loss = lossFn${i}.call(pred, randn(4, 1));`,
      `  loss.backward();`,
      `  optimizer${i}.step();`,
      `  console.log(step, loss.item(), pred.grad);`,
      `}`,
      `try {`,
      `  scaled${i}.requiresGrad = false;`,
      `} catch (error) {`,
      `  console.log(String(error));`,
      `}`,
      `const frozen${i} = noGrad(() => w${i}.mul(3));`,
      `function report${i}(x: unknown) {`,
      `  const local = w${i}.exp().mean();`,
      `  return [x, local.grad, scaled${i}.grad];`,
      `}`,
      `const kept${i} = w${i}.mul(2);`,
      `kept${i}.retainGrad();`,
      `kept${i}.pow(2).sum().backward();`,
      `console.log(kept${i}.grad, w${i}.grad, frozen${i}.requiresGrad, report${i}(1));`,
      "",
    );
  }
  return lines.join("\n");
}
