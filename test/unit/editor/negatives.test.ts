// Leaves and unknowns: the analysis must stay silent (a false warning teaches users to ignore it).
import { describe, expect, it } from "vitest";
import { describeAt } from "../../../src/editor/analysis/index";
import { findingsIn, findingsInSnippet, HEADER } from "./helpers";

const W = `const w = tensor([1, 2, 3], { requiresGrad: true });\n`;

describe("no warning on leaves", () => {
  it("factories are leaves, with or without requiresGrad", () => {
    expect(findingsInSnippet(`${W}w.requiresGrad = false;\nw.requiresGrad_(true);\nconsole.log(w.grad);\nconst z = zeros(3);\nz.requiresGrad = true;`)).toEqual([]);
  });

  it("an op on tensors that do not require grad gives a leaf", () => {
    expect(findingsInSnippet(`const a = tensor([1, 2]);\nconst b = a.mul(2);\nb.requiresGrad = true;\nconsole.log(b.grad);`)).toEqual([]);
  });

  it("detach() and .data give leaves", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\nconst d = y.detach();\nd.requiresGrad = false;\nconst e = y.data;\ne.requiresGrad_(false);\nconsole.log(d.grad, e.grad);`)).toEqual([]);
  });

  it("detach_() makes the variable itself a leaf", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\ny.detach_();\ny.requiresGrad = false;`)).toEqual([]);
  });

  it("comparisons and integer casts never require grad", () => {
    expect(findingsInSnippet(`${W}const m = w.gt(0);\nm.requiresGrad = false;\nconst i = w.argmax();\ni.requiresGrad = false;\nconst l = w.long();\nl.requiresGrad = false;`)).toEqual([]);
  });

  it("ops under noGrad give leaves, in the callback and as its result", () => {
    expect(findingsInSnippet(`${W}const y = noGrad(() => w.mul(2));\ny.requiresGrad = true;\nnoGrad(() => {\n  const z = w.mul(2);\n  z.requiresGrad = false;\n});`)).toEqual([]);
  });

  it("ops after setGradEnabled(false) give leaves", () => {
    expect(findingsInSnippet(`${W}setGradEnabled(false);\nconst y = w.mul(2);\ny.requiresGrad = true;`)).toEqual([]);
  });

  it("reading retained .grad and assigning .grad are fine", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\ny.retainGrad();\nconsole.log(y.grad);\nconst z = w.mul(3);\nz.grad = null;`)).toEqual([]);
  });
});

describe("no warning on unknowns", () => {
  it("function parameters and values computed from them are unknown", () => {
    const source = `import { Tensor } from "gradscope";\nexport function f(x: Tensor) {\n  x.requiresGrad = false;\n  console.log(x.grad);\n  const y = x.mul(2);\n  y.requiresGrad = false;\n  return y.grad;\n}`;
    expect(findingsIn(source)).toEqual([]);
  });

  it("receivers we know nothing about are unknown", () => {
    expect(findingsInSnippet(`declare const foo: any;\nconst y = foo.mul(2);\ny.requiresGrad = false;\nconsole.log(y.grad);`)).toEqual([]);
  });

  it("names that are not gradscope's (no import, or shadowed) are not ops or factories", () => {
    const noImport = `function tensor(x: number[], o?: object) { return { mul: (n: number) => x, requiresGrad: true }; }\nconst w = tensor([1], { requiresGrad: true });\nconst y: any = w.mul(2);\ny.requiresGrad = false;`;
    expect(findingsIn(noImport)).toEqual([]);
    expect(findingsInSnippet(`${W}{\n  const add = (a: unknown, b: unknown) => a as any;\n  const y = add(w, 1);\n  y.requiresGrad = false;\n}`)).toEqual([]);
  });

  it("max(dim) returns values and indices, not a tensor", () => {
    expect(findingsInSnippet(`${W}const r: any = w.max(0);\nr.requiresGrad = false;`)).toEqual([]);
  });

  it("a variable that may hold a leaf after a branch is unknown", () => {
    expect(findingsInSnippet(`${W}declare const c: boolean;\nlet y = w.mul(2);\nif (c) y = zeros(3);\ny.requiresGrad = false;`)).toEqual([]);
    expect(findingsInSnippet(`${W}declare const c: boolean;\nlet y = w.mul(2);\nc && (y = y.detach());\ny.requiresGrad = false;`)).toEqual([]);
    expect(findingsInSnippet(`${W}declare const c: boolean;\nconst y = w.mul(2);\nif (c) y.retainGrad();\nconsole.log(y.grad);`)).toEqual([]);
  });

  it("a variable written in a loop is unknown in the loop and after it", () => {
    expect(findingsInSnippet(`${W}let y = w.mul(2);\nfor (let i = 0; i < 3; i++) {\n  y.requiresGrad = false;\n  y = y.detach();\n}\ny.requiresGrad = false;`)).toEqual([]);
    expect(findingsInSnippet(`${W}let y = w.mul(2);\nlet i = 0;\nwhile (i++ < 3) {\n  const g = y.grad;\n  y = zeros(3);\n}`)).toEqual([]);
  });

  it("a variable written in try is unknown in catch", () => {
    expect(findingsInSnippet(`${W}let y = w.mul(2);\ntry {\n  y = y.detach();\n  JSON.parse("x");\n} catch {\n  y.requiresGrad = false;\n}`)).toEqual([]);
  });

  it("a variable a function body writes is unknown, wherever the function is called", () => {
    expect(findingsInSnippet(`${W}let y = w.mul(2);\nconst reset = () => { y = y.detach(); };\nreset();\ny.requiresGrad = false;`)).toEqual([]);
    expect(findingsInSnippet(`${W}const y = w.mul(2);\nfunction keep() { y.retainGrad(); }\nkeep();\nconsole.log(y.grad);`)).toEqual([]);
  });

  it("a function body does not trust captured variables that are reassigned", () => {
    expect(findingsInSnippet(`${W}let y = w.mul(2);\nconst show = () => y.grad;\ny = y.detach();\nshow();`)).toEqual([]);
  });

  it("a function body may run under noGrad when the file uses it", () => {
    expect(findingsInSnippet(`${W}function step() {\n  const y = w.mul(2);\n  y.requiresGrad = false;\n}\nnoGrad(step);`)).toEqual([]);
  });

  it("a tensor given to an unknown function may have had its flags changed", () => {
    expect(findingsInSnippet(`${W}declare function freeze(t: unknown): void;\nfreeze(w);\nconst y = w.mul(2);\ny.requiresGrad = false;`)).toEqual([]);
  });

  it("module outputs are unknown once parameters are frozen anywhere, or the module is handed over", () => {
    const frozenLoop = `const model = new nn.Linear(3, 1);\nfor (const p of model.parameters()) p.requiresGrad = false;\nconst out = model.call(randn(2, 3));\nout.requiresGrad = false;`;
    expect(findingsInSnippet(frozenLoop)).toEqual([]);
    const handedOver = `declare function freeze(m: unknown): void;\nconst model = new nn.Linear(3, 1);\nfreeze(model);\nconst out = model.call(randn(2, 3));\nout.requiresGrad = false;`;
    expect(findingsInSnippet(handedOver)).toEqual([]);
    const frozenModule = `const model = new nn.Linear(3, 1);\nmodel.requiresGrad_(false);\nconst out = model.call(randn(2, 3));\nout.requiresGrad = false;`;
    expect(findingsInSnippet(frozenModule)).toEqual([]);
  });

  it("modules we cannot see into (user classes) give unknown outputs", () => {
    const snippet = `class Net extends nn.Module { forward(x: any) { return x; } }\nconst net = new Net();\nconst out: any = net.call(randn(2, 3));\nout.requiresGrad = false;`;
    expect(findingsInSnippet(snippet)).toEqual([]);
  });

  it("a factory whose options are not literal gives a leaf with unknown requiresGrad", () => {
    expect(findingsInSnippet(`declare const opts: { requiresGrad: boolean };\nconst a = zeros([3], opts);\nconst b = a.mul(2);\nb.requiresGrad = false;`)).toEqual([]);
  });
});

describe("scopes", () => {
  it("an inner declaration shadows an outer one, both ways", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\n{\n  const y = zeros(3);\n  y.requiresGrad = false;\n}`)).toEqual([]);
    expect(findingsInSnippet(`${W}const y = zeros(3);\n{\n  const y = w.mul(2);\n  y.requiresGrad = false;\n}\ny.requiresGrad = false;`)).toEqual([
      { code: "nonLeafRequiresGrad", text: "y.requiresGrad" },
    ]);
  });

  it("a function parameter shadows an outer non-leaf", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\nfunction f(y: any) { y.requiresGrad = false; }`)).toEqual([]);
  });

  it("a function body trusts captured constants that are never written", () => {
    expect(findingsInSnippet(`${W}const y = w.mul(2);\nexport function report() { return y.grad; }`)).toEqual([
      { code: "nonLeafGrad", text: "y.grad" },
    ]);
  });
});

describe("loops whose writes depend on facts", () => {
  it("learns writes that only happen once another variable has changed", () => {
    // On the first iteration `b` does not require grad, so `z.add_(b)` leaves `z` a leaf; from
    // the second on, `b` requires grad and `z` becomes a non-leaf. The analysis must see that
    // `z` is written in the loop although the first probe of the body did not write it.
    const snippet = `const w = tensor([1], { requiresGrad: true });\nlet b = zeros(1);\nconst z = zeros(1);\nfor (let i = 0; i < 3; i++) {\n  z.add_(b);\n  b = w.mul(2);\n}\nz.requiresGrad = false;`;
    expect(findingsInSnippet(snippet)).toEqual([]);
    // After the loop nothing is claimed about `z` (the hover stays quiet).
    expect(describeAt(HEADER + snippet, (HEADER + snippet).lastIndexOf("z.requiresGrad"))).toBeUndefined();
  });
});
