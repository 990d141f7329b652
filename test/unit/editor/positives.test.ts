// Programs where the analysis is sure the tensor is a non-leaf: each must be warned about.
import { describe, expect, it } from "vitest";
import { findingsIn, findingsInSnippet } from "./helpers";

const W = `const w = tensor([1, 2, 3], { requiresGrad: true });\n`;

describe("requiresGrad on a non-leaf", () => {
  it("warns on the setter with false, true or a computed value", () => {
    for (const value of ["false", "true", "flag"]) {
      expect(findingsInSnippet(`${W}declare const flag: boolean;\nconst y = w.mul(2);\ny.requiresGrad = ${value};`)).toEqual([
        { code: "nonLeafRequiresGrad", text: "y.requiresGrad" },
      ]);
    }
  });

  it("warns on requiresGrad_(false) but not on requiresGrad_() or requiresGrad_(true), which PyTorch allows", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\ny.requiresGrad_(false);`)).toEqual([
      { code: "nonLeafRequiresGrad", text: "y.requiresGrad_(false)" },
    ]);
    expect(findingsInSnippet(`${W}const y = w.mul(2);\ny.requiresGrad_();\ny.requiresGrad_(true);`)).toEqual([]);
  });

  it("follows method chains and names the outermost op", () => {
    const source = `import { tensor } from "gradscope";\n${W}const b = tensor([[1], [2], [3]]);\nconst h = w.matmul(b).relu();\nh.requiresGrad = false;`;
    expect(findingsIn(source)).toEqual([{ code: "nonLeafRequiresGrad", text: "h.requiresGrad", line: 5 }]);
  });

  it("recognises free functions from gradscope, also renamed or through a namespace import", () => {
    expect(findingsInSnippet(`${W}const s = add(w, 1);\ns.requiresGrad = false;`)).toHaveLength(1);
    expect(findingsInSnippet(`${W}const s = cat([zeros(3), w]);\ns.requiresGrad = false;`)).toHaveLength(1);
    const renamed = `import { tensor, matmul as mm2 } from "gradscope";\n${W}const s = mm2(w, w);\ns.requiresGrad = false;`;
    expect(findingsIn(renamed)).toHaveLength(1);
    const namespaced = `import * as gs from "gradscope";\nconst w = gs.tensor([1], { requiresGrad: true });\nconst s = gs.mul(w, 2);\ns.requiresGrad = false;`;
    expect(findingsIn(namespaced)).toHaveLength(1);
  });

  it("recognises nn.functional, also through an alias", () => {
    expect(findingsInSnippet(`${W}const r = nn.functional.relu(w);\nr.requiresGrad = false;`)).toHaveLength(1);
    expect(findingsInSnippet(`${W}const F = nn.functional;\nconst r = F.sigmoid(w);\nr.requiresGrad = false;`)).toHaveLength(1);
  });

  it("treats a module's output as a non-leaf when the module has parameters", () => {
    const snippet = `const model = new nn.Linear(3, 1);\nconst x = randn(4, 3);\nconst out = model.call(x);\nout.requiresGrad = false;`;
    expect(findingsInSnippet(snippet)).toEqual([{ code: "nonLeafRequiresGrad", text: "out.requiresGrad" }]);
    const sequential = `const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU());\nconst out = model.call(randn(2, 3));\nout.requiresGrad_(false);`;
    expect(findingsInSnippet(sequential)).toHaveLength(1);
  });

  it("treats a loss of a non-leaf as a non-leaf", () => {
    const snippet = `const model = new nn.Linear(3, 1);\nconst lossFn = new nn.MSELoss();\nconst loss = lossFn.call(model.call(randn(4, 3)), randn(4, 1));\nloss.backward();\nconsole.log(loss.grad);`;
    expect(findingsInSnippet(snippet)).toEqual([{ code: "nonLeafGrad", text: "loss.grad" }]);
  });

  it("treats an nn.Parameter as a leaf that requires grad", () => {
    expect(findingsInSnippet(`const p = new nn.Parameter(randn(3));\nconst y = p.mul(2);\ny.requiresGrad = false;`)).toHaveLength(1);
  });

  it("sees a leaf become a non-leaf through an in-place op with an input that requires grad", () => {
    expect(findingsInSnippet(`${W}const z = zeros(3);\nz.add_(w);\nz.requiresGrad = false;`)).toEqual([
      { code: "nonLeafRequiresGrad", text: "z.requiresGrad" },
    ]);
  });

  it("follows the last assignment of a `let`", () => {
    expect(findingsInSnippet(`${W}let y = zeros(3);\ny = w.mul(2);\ny.requiresGrad = false;`)).toHaveLength(1);
  });

  it("follows a leaf made to require grad by requiresGrad_()", () => {
    expect(findingsInSnippet(`const a = zeros(3);\na.requiresGrad_();\nconst b = a.exp();\nb.requiresGrad = false;`)).toHaveLength(1);
  });

  it("treats the T getter as an op", () => {
    expect(findingsInSnippet(`${W}const t = w.T;\nt.requiresGrad = false;`)).toHaveLength(1);
  });
});

describe(".grad of a non-leaf", () => {
  it("warns when retainGrad() was not called before", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\ny.sum().backward();\nconsole.log(y.grad);`)).toEqual([
      { code: "nonLeafGrad", text: "y.grad" },
    ]);
  });

  it("warns when retainGrad() comes only after the read", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\nconsole.log(y.grad);\ny.retainGrad();\nconsole.log(y.grad);`)).toEqual([
      { code: "nonLeafGrad", text: "y.grad" },
    ]);
  });

  it("warns inside a training loop on a tensor created in the loop", () => {
    const snippet = `const model = new nn.Linear(3, 1);\nconst x = randn(8, 3);\nfor (let step = 0; step < 10; step++) {\n  const pred = model.call(x);\n  pred.sum().backward();\n  console.log(pred.grad);\n}`;
    expect(findingsInSnippet(snippet)).toEqual([{ code: "nonLeafGrad", text: "pred.grad" }]);
  });

  it("warns inside a function on tensors the function creates", () => {
    const source = `import { tensor } from "gradscope";\nfunction main() {\n  const w = tensor([1], { requiresGrad: true });\n  const y = w.mul(2);\n  return y.grad;\n}`;
    expect(findingsIn(source)).toEqual([{ code: "nonLeafGrad", text: "y.grad", line: 5 }]);
  });

  it("keeps what it knows across a call that only logs", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\nconsole.log(y, w);\nconsole.log(y.grad);`)).toHaveLength(1);
  });

  it("keeps a non-leaf a non-leaf after a failed requiresGrad change inside try", () => {
    const snippet = `${W}const y = w.mul(2);\ntry {\n  y.requiresGrad = false;\n} catch {}\nconsole.log(y.grad);`;
    expect(findingsInSnippet(snippet).map((finding) => finding.code)).toEqual(["nonLeafRequiresGrad", "nonLeafGrad"]);
  });
});

describe("larger programs", () => {
  it("finds the mistakes the benchmark program repeats, three per block", async () => {
    // @ts-expect-error -- plain .mjs helper without types
    const { generateProgram } = (await import("../../../bench/editor/program.mjs")) as { generateProgram: (lines: number) => string };
    const program = generateProgram(1000);
    const blocks = program.split("// ---- block").length - 1;
    const seen = findingsIn(program);
    expect(seen.filter((finding) => finding.code === "nonLeafRequiresGrad")).toHaveLength(blocks);
    // `pred.grad` in each training loop and `scaled.grad` in each function; `local.grad` is
    // inside a function in a file that uses noGrad, so its grad mode is unknown there.
    expect(seen.filter((finding) => finding.code === "nonLeafGrad").map((finding) => finding.text.split(".")[0].replace(/\d+$/, ""))).toEqual(
      Array.from({ length: blocks }, () => ["pred", "scaled"]).flat(),
    );
  });

  it("analyses `export default function` bodies", () => {
    const source = `import { tensor } from "gradscope";\nexport default function () {\n  const w = tensor([1], { requiresGrad: true });\n  const y = w.mul(2);\n  y.requiresGrad = false;\n}`;
    expect(findingsIn(source)).toEqual([{ code: "nonLeafRequiresGrad", text: "y.requiresGrad", line: 5 }]);
  });
});
