/**
 * Every differentiable op against central finite differences in float64, including
 * broadcasting, non-contiguous inputs (transposed / sliced views) and reductions over each dim.
 */
import { describe, expect, it } from "vitest";
import * as g from "gradscope";
import type { Tensor } from "gradscope";
import { gradcheck } from "./gradcheck";

/** A float64 leaf with values from a fixed seed, kept away from kinks (0 for relu/abs) by `shift`. */
function input(shape: number[], seed: number, { positive = false } = {}): Tensor {
  g.manualSeed(seed);
  const t = g.randn(shape, { dtype: "float64" });
  const values = positive ? t.abs().add(0.5) : t.add(t.sign().mul(0.05));
  return values.detach().contiguous().clone().requiresGrad_();
}

declare module "gradscope" {
  interface Tensor {
    sign(): Tensor;
  }
}
g.Tensor.prototype.sign = function (this: Tensor) {
  return g.where(this.gt(0), 1, g.where(this.lt(0), -1, 0)).to("float64");
};

function expectGradOk(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  expect(gradcheck(fn, inputs)).toEqual([]);
}

describe("pointwise ops pass gradcheck", () => {
  const x = () => input([3, 4], 1);
  const y = () => input([3, 4], 2);
  const cases: Array<[string, (a: Tensor, b: Tensor) => Tensor]> = [
    ["add", (a, b) => a.add(b)],
    ["add with alpha", (a, b) => a.add(b, 2.5)],
    ["sub", (a, b) => a.sub(b)],
    ["mul", (a, b) => a.mul(b)],
    ["div", (a, b) => a.div(b)],
    ["maximum", (a, b) => a.maximum(b)],
    ["minimum", (a, b) => a.minimum(b)],
  ];
  for (const [name, fn] of cases) {
    it(name, () => expectGradOk(fn, [x(), y()]));
    it(`${name} with broadcasting [3,4] ∘ [4]`, () => expectGradOk(fn, [x(), input([4], 3)]));
    it(`${name} with broadcasting [3,1] ∘ [1,4]`, () => expectGradOk(fn, [input([3, 1], 4), input([1, 4], 5)]));
    it(`${name} on a transposed (non-contiguous) input`, () =>
      expectGradOk((a, b) => fn(a.t(), b), [input([4, 3], 6), y()]));
  }

  const unary: Array<[string, (a: Tensor) => Tensor, boolean]> = [
    ["neg", (a) => a.neg(), false],
    ["exp", (a) => a.exp(), false],
    ["log", (a) => a.log(), true],
    ["sqrt", (a) => a.sqrt(), true],
    ["abs", (a) => a.abs(), false],
    ["relu", (a) => a.relu(), false],
    ["sigmoid", (a) => a.sigmoid(), false],
    ["tanh", (a) => a.tanh(), false],
    ["clamp", (a) => a.clamp(-0.5, 0.7), false],
    ["clamp min only", (a) => a.clamp(0.1), false],
    ["pow scalar 3", (a) => a.pow(3), false],
    ["pow scalar 0.5", (a) => a.pow(0.5), true],
    ["pow scalar -1.5", (a) => a.pow(-1.5), true],
    ["mul scalar", (a) => a.mul(-2.5), false],
    ["div scalar", (a) => a.div(4), false],
    ["add scalar", (a) => a.add(3), false],
    ["rsub", (a) => g.rsub(a, 2), false],
    ["scalar ** tensor", (a) => g.pow(2.5, a), false],
  ];
  for (const [name, fn, positive] of unary) {
    it(name, () => expectGradOk(fn, [input([2, 3], 7, { positive })]));
    it(`${name} on a sliced view`, () => expectGradOk((a) => fn(a.slice(1, 1, 4, 2)), [input([2, 5], 8, { positive })]));
  }
  it("pow tensor ** tensor", () =>
    expectGradOk((a, b) => a.pow(b), [input([2, 3], 9, { positive: true }), input([2, 3], 10)]));
  it("pow tensor ** tensor broadcast", () =>
    expectGradOk((a, b) => a.pow(b), [input([2, 3], 11, { positive: true }), input([3], 12)]));
});

describe("reductions pass gradcheck over every dim", () => {
  const shape = [2, 3, 4];
  it("sum all / mean all / max all / min all", () => {
    expectGradOk((a) => a.sum(), [input(shape, 20)]);
    expectGradOk((a) => a.mean(), [input(shape, 21)]);
    expectGradOk((a) => a.max(), [input(shape, 22)]);
    expectGradOk((a) => a.min(), [input(shape, 23)]);
  });
  for (const dim of [0, 1, 2, -1]) {
    for (const keepdim of [false, true]) {
      it(`dim ${dim} keepdim ${keepdim}`, () => {
        expectGradOk((a) => a.sum(dim, keepdim), [input(shape, 30 + dim)]);
        expectGradOk((a) => a.mean(dim, keepdim), [input(shape, 31 + dim)]);
        expectGradOk((a) => a.max(dim, keepdim).values, [input(shape, 32 + dim)]);
        expectGradOk((a) => a.min(dim, keepdim).values, [input(shape, 33 + dim)]);
        expectGradOk((a) => a.softmax(dim), [input(shape, 34 + dim)]);
        expectGradOk((a) => a.logSoftmax(dim), [input(shape, 35 + dim)]);
      });
    }
  }
  it("sum over several dims", () => expectGradOk((a) => a.sum([0, 2]), [input(shape, 40)]));
  it("reductions of a permuted view", () => expectGradOk((a) => a.permute(2, 0, 1).sum(1).mean(0), [input(shape, 41)]));
});

describe("linear algebra passes gradcheck", () => {
  it("mm", () => expectGradOk((a, b) => a.mm(b), [input([3, 4], 50), input([4, 2], 51)]));
  it("mm of transposed operands", () => expectGradOk((a, b) => a.t().mm(b.t()), [input([4, 3], 52), input([2, 4], 53)]));
  it("matmul 1-D · 1-D", () => expectGradOk((a, b) => a.matmul(b), [input([5], 54), input([5], 55)]));
  it("matmul 2-D · 1-D", () => expectGradOk((a, b) => a.matmul(b), [input([3, 5], 56), input([5], 57)]));
  it("matmul 1-D · 2-D", () => expectGradOk((a, b) => a.matmul(b), [input([5], 58), input([5, 2], 59)]));
  it("matmul batched", () => expectGradOk((a, b) => a.matmul(b), [input([2, 3, 4], 60), input([2, 4, 2], 61)]));
  it("matmul batched with broadcasting", () =>
    expectGradOk((a, b) => a.matmul(b), [input([2, 1, 3, 4], 62), input([3, 4, 2], 63)]));
  it("matmul batch · matrix", () => expectGradOk((a, b) => a.matmul(b), [input([2, 3, 4], 64), input([4, 5], 65)]));
  it("addmm", () => expectGradOk((c, a, b) => g.addmm(c, a, b), [input([2], 66), input([3, 4], 67), input([4, 2], 68)]));
  it("dot", () => expectGradOk((a, b) => g.dot(a, b), [input([4], 69), input([4], 70)]));
});

describe("shape ops pass gradcheck", () => {
  const x = () => input([2, 3, 4], 80);
  const cases: Array<[string, (a: Tensor) => Tensor]> = [
    ["view", (a) => a.view(6, 4)],
    ["view with -1", (a) => a.view(-1)],
    ["reshape of a non-contiguous view (copies)", (a) => a.transpose(0, 2).reshape(4, 6)],
    ["t", (a) => a.select(0, 1).t()],
    ["transpose", (a) => a.transpose(0, 2)],
    ["permute", (a) => a.permute(2, 0, 1)],
    ["expand", (a) => a.select(2, 0).unsqueeze(0).expand(5, 2, 3)],
    ["squeeze", (a) => a.narrow(1, 1, 1).squeeze()],
    ["squeeze dim", (a) => a.narrow(1, 1, 1).squeeze(1)],
    ["unsqueeze", (a) => a.unsqueeze(1)],
    ["narrow", (a) => a.narrow(2, 1, 2)],
    ["slice with step", (a) => a.slice(2, 0, 4, 2)],
    ["select", (a) => a.select(1, -1)],
    ["flatten", (a) => a.flatten(1)],
    ["clone", (a) => a.clone()],
    ["contiguous of a view", (a) => a.transpose(0, 1).contiguous()],
  ];
  for (const [name, fn] of cases) it(name, () => expectGradOk(fn, [x()]));

  it("cat", () => expectGradOk((a, b) => g.cat([a, b], 1), [input([2, 3], 90), input([2, 2], 91)]));
  it("cat dim 0", () => expectGradOk((a, b) => g.cat([a, b, a]), [input([1, 3], 92), input([2, 3], 93)]));
  it("stack", () => expectGradOk((a, b) => g.stack([a, b], 1), [input([2, 3], 94), input([2, 3], 95)]));
  it("where", () => {
    const cond = g.tensor([[true, false, true], [false, false, true]]);
    expectGradOk((a, b) => g.where(cond, a, b), [input([2, 3], 96), input([3], 97)]);
  });
  it("gather", () => {
    const index = g.tensor([[0, 2, 2], [1, 0, 1]], { dtype: "int64" });
    expectGradOk((a) => a.gather(1, index), [input([2, 3], 98)]);
  });
  it("indexSelect with repeats", () => {
    const index = g.tensor([2, 0, 2], { dtype: "int64" });
    expectGradOk((a) => a.indexSelect(1, index), [input([2, 3], 99)]);
  });
  it("to float32 and back", () => {
    const problems = gradcheck((a) => a.to("float32").to("float64"), [input([3], 100)], { eps: 1e-2, atol: 1e-3, rtol: 1e-3 });
    expect(problems).toEqual([]);
  });
});

describe("higher-order gradients (createGraph) pass gradcheck", () => {
  // gradcheck's finite differences run under noGrad; the inner grad needs a graph regardless.
  const secondOrder = (fn: (a: Tensor) => Tensor) => (a: Tensor) =>
    g.enableGrad(() => g.autograd.grad(fn(a).sum(), a, { createGraph: true })[0]!);
  const cases: Array<[string, (a: Tensor) => Tensor, boolean]> = [
    ["x³", (a) => a.pow(3), false],
    ["tanh", (a) => a.tanh(), false],
    ["sigmoid", (a) => a.sigmoid(), false],
    ["exp·x", (a) => a.exp().mul(a), false],
    ["log", (a) => a.log(), true],
    ["softmax", (a) => a.softmax(0).mul(a), false],
    ["x / (1 + x²)", (a) => a.div(a.mul(a).add(1)), false],
    ["matmul", (a) => a.view(2, 2).matmul(a.view(2, 2)), false],
  ];
  for (const [name, fn, positive] of cases) {
    it(name, () => expectGradOk(secondOrder(fn), [input([4], 110, { positive })]));
  }
});
