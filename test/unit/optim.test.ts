/**
 * optim: SGD, Adam, AdamW update math against hand computations and PyTorch's own numbers,
 * parameter groups, zeroGrad, skipping parameters without a gradient, and every argument
 * error text. (test/unit/golden.test.ts also replays multi-step fixtures from PyTorch.)
 */
import { describe, expect, it } from "vitest";
import { captureWarnings, nn, noGrad, optim, tensor, zeros, type Tensor } from "gradscope";

const f64 = { dtype: "float64" as const };

function param(values: number[], dtype: "float32" | "float64" = "float64"): nn.Parameter {
  return new nn.Parameter(tensor(values, { dtype }));
}

function setGrad(p: Tensor, values: number[]): void {
  p.grad = tensor(values, { dtype: p.dtype });
}

function expectClose(actual: Tensor | number[], expected: number[], rtol = 1e-12): void {
  const values = Array.isArray(actual) ? actual : actual.toArray();
  expect(values.length).toBe(expected.length);
  values.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(rtol * Math.abs(expected[i]!) + 1e-15));
}

/**
 * Produced with Debian's python3-torch 1.13 (single-tensor, foreach=False):
 *   G = [[0.5, -1.0, 2.0], [-0.25, 0.75, 1.5], [1.0, -0.5, -2.0]]; P0 = [1.0, -2.0, 0.5]
 *   p = torch.tensor(P0, dtype=dtype, requires_grad=True); opt = cls([p], **kw)
 *   for s in range(3): p.grad = torch.tensor(G[s], dtype=dtype); opt.step()
 *   print(p.tolist())
 */
const G = [[0.5, -1.0, 2.0], [-0.25, 0.75, 1.5], [1.0, -0.5, -2.0]];
const P0 = [1.0, -2.0, 0.5];
const TORCH_EXPECTED: Array<{ name: string; make: (p: Tensor) => { step(): unknown }; dtype: "float32" | "float64"; values: number[] }> = [
  { name: "SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)", dtype: "float64",
    make: (p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    values: [0.6981892081909999, -1.749038166382, -0.21571782122950003] },
  { name: "SGD(lr=0.1, momentum=0.8, dampening=0.25, maximize=True)", dtype: "float64",
    make: (p) => new optim.SGD([p], { lr: 0.1, momentum: 0.8, dampening: 0.25, maximize: true }),
    values: [1.1632500000000001, -2.1802500000000005, 1.0405] },
  { name: "Adam(lr=0.1)", dtype: "float64",
    make: (p) => new optim.Adam([p], { lr: 0.1 }),
    values: [0.8075551396770898, -1.8609155115235587, 0.2823782231834576] },
  { name: "Adam(lr=0.05, amsgrad=True, weight_decay=0.1, maximize=True)", dtype: "float64",
    make: (p) => new optim.Adam([p], { lr: 0.05, amsgrad: true, weightDecay: 0.1, maximize: true }),
    values: [1.0779095998627137, -2.045081970705747, 0.607304717952296] },
  { name: "AdamW(lr=0.1)", dtype: "float64",
    make: (p) => new optim.AdamW([p], { lr: 0.1 }),
    values: [0.804784672376384, -1.8551303420221992, 0.28117788019004814] },
  { name: "AdamW(lr=0.1, amsgrad=True, weight_decay=0.5, betas=(0.5, 0.9))", dtype: "float64",
    make: (p) => new optim.AdamW([p], { lr: 0.1, amsgrad: true, weightDecay: 0.5, betas: [0.5, 0.9] }),
    values: [0.6832800636741003, -1.6143599426428734, 0.27138178090331844] },
  { name: "float32 SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)", dtype: "float32",
    make: (p) => new optim.SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    values: [0.6981891989707947, -1.7490382194519043, -0.2157178521156311] },
  { name: "float32 Adam(lr=0.1, weight_decay=0.1)", dtype: "float32",
    make: (p) => new optim.Adam([p], { lr: 0.1, weightDecay: 0.1 }),
    values: [0.7815044522285461, -1.8212717771530151, 0.2804444432258606] },
  { name: "float32 Adam(lr=0.1)", dtype: "float32",
    make: (p) => new optim.Adam([p], { lr: 0.1 }),
    values: [0.8075551986694336, -1.8609155416488647, 0.282378226518631] },
  { name: "float32 AdamW(lr=0.1)", dtype: "float32",
    make: (p) => new optim.AdamW([p], { lr: 0.1 }),
    values: [0.8047847151756287, -1.8551304340362549, 0.28117790818214417] },
  { name: "float32 AdamW(lr=0.1, amsgrad=True)", dtype: "float32",
    make: (p) => new optim.AdamW([p], { lr: 0.1, amsgrad: true }),
    values: [0.8047847151756287, -1.8551304340362549, 0.28117790818214417] },
];

describe("update math matches PyTorch", () => {
  for (const c of TORCH_EXPECTED) {
    it(c.name, () => {
      const p = param(P0, c.dtype);
      const opt = c.make(p);
      for (const g of G) {
        setGrad(p, g);
        opt.step();
      }
      // The same operations in the same order, float32 intermediates rounded as PyTorch rounds
      // them: float32 comes out bit-identical here. PyTorch's kernels may fuse a multiply-add
      // (FMA) that JS rounds twice, which moves the last bit of a float64 value (and, on long
      // tensors taking its SIMD path, possibly an ulp of a float32 one).
      if (c.dtype === "float32") expect(p.toArray()).toEqual(c.values);
      else expectClose(p, c.values, 1e-15);
    });
  }
});

describe("SGD by hand", () => {
  it("plain step: p − lr·g", () => {
    const p = param([1, 2, 3]);
    setGrad(p, [0.5, -1, 2]);
    new optim.SGD([p], { lr: 0.1 }).step();
    expectClose(p, [0.95, 2.1, 2.8]);
  });

  it("momentum: the buffer starts as the first gradient, then b = μ·b + (1 − τ)·g", () => {
    const p = param([0]);
    const opt = new optim.SGD([p], { lr: 1, momentum: 0.5, dampening: 0.5 });
    setGrad(p, [2]);
    opt.step(); // b = 2 (no dampening on the first step), p = −2
    expectClose(p, [-2]);
    setGrad(p, [2]);
    opt.step(); // b = 0.5·2 + 0.5·2 = 2, p = −4
    expectClose(p, [-4]);
    expectClose(opt.state.get(p)!.momentumBuffer!, [2]);
  });

  it("weight decay adds wd·p to the gradient", () => {
    const p = param([2]);
    setGrad(p, [1]);
    new optim.SGD([p], { lr: 0.5, weightDecay: 0.1 }).step();
    expectClose(p, [2 - 0.5 * (1 + 0.2)]);
  });

  it("uses 1e-3 as the default learning rate (PyTorch ≥ 2.2)", () => {
    const p = param([1]);
    setGrad(p, [1]);
    new optim.SGD([p]).step();
    expectClose(p, [0.999]);
  });
});

describe("Adam by hand", () => {
  it("first step moves each element by lr·g/(|g| + ε) thanks to bias correction", () => {
    const p = param([1, 1, 1]);
    setGrad(p, [0.001, -3, 100]);
    new optim.Adam([p], { lr: 0.01, eps: 1e-8 }).step();
    expectClose(p, [1 - (0.01 * 0.001) / (0.001 + 1e-8), 1 + (0.01 * 3) / (3 + 1e-8), 1 - (0.01 * 100) / (100 + 1e-8)], 1e-12);
  });

  it("keeps step count and moments in state", () => {
    const p = param([0, 0]);
    const opt = new optim.Adam([p], { betas: [0.5, 0.75] });
    setGrad(p, [2, -4]);
    opt.step();
    opt.step();
    const s = opt.state.get(p)!;
    expect(s.step).toBe(2);
    expectClose(s.expAvg, [0.5 * 1 + 0.5 * 2, 0.5 * -2 + 0.5 * -4]);
    expectClose(s.expAvgSq, [0.75 * 1 + 0.25 * 4, 0.75 * 4 + 0.25 * 16]);
    expect(s.maxExpAvgSq).toBeNull();
  });

  it("AdamW decays the parameter itself and defaults weightDecay to 0.01", () => {
    const opt = new optim.AdamW([param([1])]);
    expect(opt.defaults.weightDecay).toBe(0.01);
    expect(new optim.Adam([param([1])]).defaults.weightDecay).toBe(0);
    // A zero gradient leaves only the decay: p·(1 − lr·wd).
    const p = param([3]);
    setGrad(p, [0]);
    new optim.AdamW([p], { lr: 0.1, weightDecay: 0.5 }).step();
    expectClose(p, [3 * (1 - 0.05)]);
  });
});

describe("Optimizer", () => {
  it("parameter groups fall back to the defaults and keep their own options", () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[0.1, 0.9], [0.5, 0.9]]);
    setGrad(a, [1]);
    setGrad(b, [1]);
    opt.step();
    expectClose(a, [0.9]);
    expectClose(b, [0.5]);
  });

  it("reads each group's options at every step, so a schedule can change lr in place", () => {
    const p = param([1]);
    const opt = new optim.SGD([p], { lr: 0.1 });
    setGrad(p, [1]);
    opt.step();
    opt.paramGroups[0]!.lr = 0.01;
    opt.step();
    expectClose(p, [1 - 0.1 - 0.01]);
  });

  it("addParamGroup adds a group (e.g. layers unfrozen later)", () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new optim.Adam([a], { lr: 0.1 });
    opt.addParamGroup({ params: [b], lr: 0.2 });
    expect(opt.paramGroups).toHaveLength(2);
    expect(opt.paramGroups[1]!.betas).toEqual([0.9, 0.999]);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow("some parameters appear in more than one parameter group");
  });

  it("accepts any iterable of parameters, e.g. module.parameters()", () => {
    const lin = new nn.Linear(2, 3);
    const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
    expect(opt.paramGroups[0]!.params).toEqual([lin.weight, lin.bias]);
    const fromGenerator = new optim.SGD((function* () { yield lin.weight; })(), { lr: 0.1 });
    expect(fromGenerator.paramGroups[0]!.params).toEqual([lin.weight]);
  });

  it("skips parameters whose grad is null (frozen or unused): no state, no change", () => {
    const used = param([1, 1]);
    const unused = param([5, 5]);
    const opt = new optim.SGD([used, unused], { lr: 0.1, momentum: 0.9, weightDecay: 0.1 });
    setGrad(used, [1, 1]);
    opt.step();
    expect(unused.toArray()).toEqual([5, 5]);
    expect(opt.state.has(unused)).toBe(false);
    expect(opt.state.has(used)).toBe(true);
  });

  it("zeroGrad sets grads to null by default, or zeros them in place", () => {
    const p = param([1, 2]);
    const opt = new optim.SGD([p], { lr: 0.1 });
    setGrad(p, [3, 4]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
    setGrad(p, [3, 4]);
    const g = p.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(p.grad).toBe(g);
    expect(g.toArray()).toEqual([0, 0]);
  });

  it("step() updates in place under noGrad, bumping the version counter", () => {
    const p = param([1, 2]);
    const storage = p._storage;
    setGrad(p, [1, 1]);
    const before = p.version;
    new optim.SGD([p], { lr: 0.1 }).step();
    expect(p._storage).toBe(storage);
    expect(p.version).toBe(before + 1);
    expect(p.isLeaf).toBe(true);
    expect(p.requiresGrad).toBe(true);
  });

  it("a saved parameter changed by step() is caught by backward, as in PyTorch", () => {
    const p = param([1, 2]);
    const loss = p.mul(p).sum();
    setGrad(p, [1, 1]);
    new optim.SGD([p], { lr: 0.1 }).step();
    expect(() => loss.backward()).toThrow("modified by an inplace operation");
  });

  it("updates non-contiguous parameters through their strides", () => {
    const base = tensor([[1, 2, 3], [4, 5, 6]], f64);
    const p = new nn.Parameter(base.t()); // shape [3, 2], strides [1, 3]
    expect(p.isContiguous()).toBe(false);
    p.grad = tensor([[1, 1], [1, 1], [1, 1]], f64);
    const opt = new optim.Adam([p], { lr: 0.5 });
    opt.step();
    // Adam's first step is lr·g/(|g| + ε) ≈ 0.5.
    expectClose(p, [0.5, 3.5, 1.5, 4.5, 2.5, 5.5], 1e-7);
    expectClose(base, [0.5, 1.5, 2.5, 3.5, 4.5, 5.5], 1e-7); // shares storage with the parameter
  });

  it("step(closure) evaluates the closure with grad enabled and returns its loss", () => {
    const p = param([3]);
    const opt = new optim.SGD([p], { lr: 0.25 });
    const loss = noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = p.mul(p).sum();
        l.backward();
        return l;
      }),
    );
    expect(loss!.item()).toBe(9);
    expectClose(p, [3 - 0.25 * 6]);
  });

  it("trains a tiny regression to a low loss", () => {
    const model = new nn.Linear(1, 1, f64);
    const x = tensor([[0], [1], [2], [3]], f64);
    const y = tensor([[1], [3], [5], [7]], f64);
    const opt = new optim.Adam(model.parameters(), { lr: 0.1 });
    const lossFn = new nn.MSELoss();
    let loss = Infinity;
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      const l = lossFn.call(model.call(x), y);
      l.backward();
      opt.step();
      loss = l.item();
    }
    expect(loss).toBeLessThan(1e-3);
  });

  it("stateDict/loadStateDict resume training exactly where it stopped", () => {
    const run = (resumeAfter: number | null) => {
      const p = param([1, -2, 0.5]);
      let opt = new optim.Adam([p], { lr: 0.1, amsgrad: true });
      G.forEach((g, step) => {
        if (step === resumeAfter) {
          const saved = opt.stateDict();
          opt = new optim.Adam([p], { lr: 0.5 }); // options come back from the checkpoint too
          opt.loadStateDict(saved);
        }
        setGrad(p, g);
        opt.step();
      });
      return p.toArray();
    };
    expect(run(1)).toEqual(run(null));
    const opt = new optim.SGD([param([1]), param([2])], { lr: 0.1, momentum: 0.9 });
    expect(opt.stateDict().paramGroups[0]!.params).toEqual([0, 1]);
    expect(() => new optim.SGD([param([1])], { lr: 0.1 }).loadStateDict(opt.stateDict())).toThrow(
      "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
  });

  it("prints its groups like PyTorch", () => {
    const opt = new optim.SGD([param([1])], { lr: 0.1 });
    expect(opt.toString()).toBe(
      "SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n    maximize: false\n    momentum: 0\n    nesterov: false\n    weightDecay: 0\n)",
    );
  });

  it("warns about duplicate parameters within a group", () => {
    const p = param([1]);
    const { warnings } = captureWarnings(() => new optim.SGD([p, p], { lr: 0.1 }));
    expect(warnings.map((w) => w.message)).toEqual([
      "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
    ]);
  });
});

describe("argument errors (PyTorch's texts)", () => {
  const p = () => zeros([2], { requiresGrad: true });
  const cases: Array<[string, () => unknown, string, string]> = [
    ["SGD negative lr", () => new optim.SGD([p()], { lr: -0.1 }), "ValueError", "Invalid learning rate: -0.1"],
    ["SGD negative momentum", () => new optim.SGD([p()], { lr: 0.1, momentum: -1 }), "ValueError", "Invalid momentum value: -1"],
    ["SGD negative weight decay", () => new optim.SGD([p()], { lr: 0.1, weightDecay: -0.5 }), "ValueError", "Invalid weight_decay value: -0.5"],
    ["SGD nesterov without momentum", () => new optim.SGD([p()], { lr: 0.1, nesterov: true }), "ValueError", "Nesterov momentum requires a momentum and zero dampening"],
    ["SGD nesterov with dampening", () => new optim.SGD([p()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), "ValueError", "Nesterov momentum requires a momentum and zero dampening"],
    ["empty parameter list", () => new optim.SGD([], { lr: 0.1 }), "ValueError", "optimizer got an empty parameter list"],
    ["non-leaf parameter", () => new optim.SGD([p().mul(2)], { lr: 0.1 }), "ValueError", "can't optimize a non-leaf Tensor"],
    ["a tensor instead of an iterable", () => new optim.SGD(p() as never, { lr: 0.1 }), "TypeError", "params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor"],
    ["a non-tensor parameter", () => new optim.SGD([1 as never], { lr: 0.1 }), "TypeError", "optimizer can only optimize Tensors, but one of the params is int"],
    ["a parameter in two groups", () => { const q = p(); return new optim.SGD([{ params: [q] }, { params: [q] }], { lr: 0.1 }); }, "ValueError", "some parameters appear in more than one parameter group"],
    ["Adam negative lr", () => new optim.Adam([p()], { lr: -0.1 }), "ValueError", "Invalid learning rate: -0.1"],
    ["Adam negative eps", () => new optim.Adam([p()], { eps: -0.5 }), "ValueError", "Invalid epsilon value: -0.5"],
    ["Adam beta0 out of range", () => new optim.Adam([p()], { betas: [1.5, 0.999] }), "ValueError", "Invalid beta parameter at index 0: 1.5"],
    ["Adam beta1 out of range", () => new optim.Adam([p()], { betas: [0.9, -0.5] }), "ValueError", "Invalid beta parameter at index 1: -0.5"],
    ["Adam negative weight decay", () => new optim.Adam([p()], { weightDecay: -0.5 }), "ValueError", "Invalid weight_decay value: -0.5"],
    ["AdamW negative lr", () => new optim.AdamW([p()], { lr: -0.1 }), "ValueError", "Invalid learning rate: -0.1"],
    ["AdamW beta0 out of range", () => new optim.AdamW([p()], { betas: [1.5, 0.999] }), "ValueError", "Invalid beta parameter at index 0: 1.5"],
    ["AdamW negative weight decay", () => new optim.AdamW([p()], { weightDecay: -0.5 }), "ValueError", "Invalid weight_decay value: -0.5"],
  ];
  for (const [name, make, type, message] of cases) {
    it(name, () => {
      let error: unknown = null;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe(type);
      expect((error as Error).message).toBe(message);
    });
  }

  it("checks the arguments before the parameter list, as PyTorch does", () => {
    expect(() => new optim.SGD([], { lr: -1 })).toThrow("Invalid learning rate: -1");
  });
});
