/** Autograd's rules, one by one, with PyTorch's exact error and warning texts. */
import { describe, expect, it } from "vitest";
import * as g from "gradscope";
import { RuntimeError, captureWarnings, tensor } from "gradscope";

const NON_LEAF_REQUIRES_GRAD =
  "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().";

describe("leaves and requiresGrad", () => {
  it("user-created tensors are leaves; results of ops on them require grad and are not", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = w.mul(2);
    expect(w.isLeaf).toBe(true);
    expect(w.requiresGrad).toBe(true);
    expect(w.gradFn).toBeNull();
    expect(y.isLeaf).toBe(false);
    expect(y.requiresGrad).toBe(true);
    expect(y.gradFn?.name()).toBe("MulBackward0");
  });

  it("factories take sizes then options, as torch.randn(2, 3, requires_grad=True)", () => {
    for (const t of [g.randn(2, 3, { requiresGrad: true }), g.zeros(2, 3, { requiresGrad: true }), g.ones([2, 3], { requiresGrad: true })]) {
      expect(t.shape).toEqual([2, 3]);
      expect(t.requiresGrad).toBe(true);
      expect(t.isLeaf).toBe(true);
    }
    expect(g.rand(4, { dtype: "float64" }).dtype).toBe("float64");
    expect(g.zeros(2, 3).requiresGrad).toBe(false);
  });

  it("ops on tensors that do not require grad produce leaves that do not either", () => {
    const y = tensor([1, 2]).mul(3);
    expect(y.isLeaf).toBe(true);
    expect(y.requiresGrad).toBe(false);
  });

  it("results under noGrad are leaves that do not require grad", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = g.noGrad(() => w.mul(2));
    expect(y.isLeaf).toBe(true);
    expect(y.requiresGrad).toBe(false);
  });

  it("detach gives a leaf sharing storage and version counter", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = w.mul(2);
    const d = y.detach();
    expect(d.isLeaf).toBe(true);
    expect(d.requiresGrad).toBe(false);
    d.add_(1);
    expect(y.tolist()).toEqual([3, 5]);
    expect(y.version).toBe(1);
  });

  it("setting requiresGrad on a non-leaf throws PyTorch's RuntimeError with the detach() hint", () => {
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    expect(() => {
      y.requiresGrad = false;
    }).toThrowError(new RuntimeError(NON_LEAF_REQUIRES_GRAD));
    expect(() => y.requiresGrad_(false)).toThrowError(NON_LEAF_REQUIRES_GRAD);
    expect(() => y.requiresGrad_(true)).not.toThrow();
    try {
      y.requiresGrad = false;
    } catch (error) {
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as Error).name).toBe("RuntimeError");
    }
  });

  it("setting requiresGrad = true on a non-leaf also throws, without the hint (as PyTorch's setter does)", () => {
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    expect(() => {
      y.requiresGrad = true;
    }).toThrowError(/^you can only change requires_grad flags of leaf variables\.$/);
  });

  it("only floating point tensors can require grad", () => {
    expect(() => tensor([1, 2], { dtype: "int64", requiresGrad: true })).toThrowError(
      "Only Tensors of floating point and complex dtype can require gradients",
    );
    const labels = tensor([1, 2], { dtype: "int64" });
    expect(() => {
      labels.requiresGrad = true;
    }).toThrowError("only Tensors of floating point and complex dtype can require gradients");
    expect(() => labels.requiresGrad_()).toThrowError("only Tensors of floating point dtype can require gradients");
  });
});

describe(".grad", () => {
  it("is null before backward and filled after; accumulates across backward calls", () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    expect(w.grad).toBeNull();
    w.mul(w).sum().backward();
    expect(w.grad!.tolist()).toEqual([2, 4, 6]);
    w.mul(3).sum().backward();
    expect(w.grad!.tolist()).toEqual([5, 7, 9]);
  });

  it("reading .grad of a non-leaf warns with PyTorch's text and returns null", () => {
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    y.sum().backward();
    const { result, warnings } = captureWarnings(() => y.grad);
    expect(result).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(
      /^The \.grad attribute of a Tensor that is not a leaf Tensor is being accessed\. Its \.grad attribute won't be populated during autograd\.backward\(\)\. If you indeed want the \.grad field to be populated for a non-leaf Tensor, use \.retain_grad\(\) on the non-leaf Tensor\./,
    );
  });

  it("the warning names the user's file and line", () => {
    const y = tensor([1], { requiresGrad: true }).mul(2);
    const { warnings } = captureWarnings(() => y.grad);
    expect(warnings[0]!.location?.file).toContain("autograd.test.ts");
  });

  it("retainGrad keeps a non-leaf's gradient without warning", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    y.mul(y).sum().backward();
    const { result, warnings } = captureWarnings(() => y.grad);
    expect(warnings).toHaveLength(0);
    expect(result!.tolist()).toEqual([6, 12]);
  });

  it("frozen leaves keep grad null", () => {
    const frozen = tensor([1, 2], { requiresGrad: false });
    const w = tensor([3, 4], { requiresGrad: true });
    frozen.mul(w).sum().backward();
    expect(frozen.grad).toBeNull();
    expect(w.grad!.tolist()).toEqual([1, 2]);
  });
});

describe("backward() errors", () => {
  it("non-scalar output without a gradient", () => {
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    expect(() => y.backward()).toThrowError("grad can be implicitly created only for scalar outputs");
    y.backward(tensor([1, 1]));
  });

  it("a tensor that does not require grad", () => {
    expect(() => tensor([1]).sum().backward()).toThrowError(
      "element 0 of tensors does not require grad and does not have a grad_fn",
    );
  });

  it("backward through a freed graph a second time", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrowError(/^Trying to backward through the graph a second time/);
  });

  it("retainGraph allows a second backward", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward(null, { retainGraph: true });
    y.backward();
    expect(x.grad!.tolist()).toEqual([4, 8]);
  });

  it("a gradient of the wrong shape", () => {
    const y = tensor([1, 2, 3], { requiresGrad: true }).mul(2);
    expect(() => y.backward(tensor([1, 1]))).toThrowError(
      "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).",
    );
  });
});

describe("gradFn graph", () => {
  it("names nodes as PyTorch does and links them through nextFunctions", () => {
    const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const x = tensor([[1], [1]]);
    const b = tensor([1, 1], { requiresGrad: true });
    const loss = w.mm(x).squeeze(1).add(b).sum();
    expect(loss.gradFn!.name()).toBe("SumBackward0");
    const add = loss.gradFn!.nextFunctions[0]![0]!;
    expect(add.name()).toBe("AddBackward0");
    const [squeeze, accumulateB] = add.nextFunctions.map(([fn]) => fn!);
    expect(squeeze.name()).toBe("SqueezeBackward1");
    expect(accumulateB.name()).toBe("AccumulateGrad");
    const mm = squeeze.nextFunctions[0]![0]!;
    expect(mm.name()).toBe("MmBackward0");
    expect(mm.nextFunctions.map(([fn, i]) => [fn?.name() ?? null, i])).toEqual([["AccumulateGrad", 0], [null, 0]]);
  });

  it("Linear-style addmm is AddmmBackward0", () => {
    const y = g.addmm(tensor([1], { requiresGrad: true }), tensor([[1, 2]]), tensor([[1], [2]], { requiresGrad: true }));
    expect(y.gradFn!.name()).toBe("AddmmBackward0");
  });
});

describe("hooks", () => {
  it("run on leaves and non-leaves, can replace the gradient, and can be removed", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const seen: number[][] = [];
    const handle = y.registerHook((grad) => {
      seen.push(grad.tolist() as number[]);
      return grad.mul(10);
    });
    x.registerHook((grad) => void seen.push(grad.tolist() as number[]));
    y.sum().backward();
    expect(seen).toEqual([[1, 1], [20, 20]]);
    expect(x.grad!.tolist()).toEqual([20, 20]);
    handle.remove();
    x.grad = null;
    x.mul(2).sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 2]);
  });

  it("cannot be registered on a tensor that does not require grad", () => {
    expect(() => tensor([1]).registerHook(() => undefined)).toThrowError(
      "cannot register a hook on a tensor that doesn't require gradient",
    );
  });
});

describe("grad modes", () => {
  it("noGrad, enableGrad and setGradEnabled nest and restore, also when the callback throws", () => {
    expect(g.isGradEnabled()).toBe(true);
    expect(() =>
      g.noGrad(() => {
        expect(g.isGradEnabled()).toBe(false);
        g.enableGrad(() => expect(g.isGradEnabled()).toBe(true));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(g.isGradEnabled()).toBe(true);
    g.setGradEnabled(false);
    expect(tensor([1], { requiresGrad: true }).mul(2).requiresGrad).toBe(false);
    g.setGradEnabled(true);
  });
});

describe("in-place ops", () => {
  it("on a leaf that requires grad", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.add_(1)).toThrowError("a leaf Variable that requires grad is being used in an in-place operation.");
    g.noGrad(() => w.add_(1));
    expect(w.tolist()).toEqual([2, 3]);
  });

  it("on a view of a leaf that requires grad", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.narrow(0, 0, 1).mul_(2)).toThrowError(
      "a view of a leaf Variable that requires grad is being used in an in-place operation.",
    );
  });

  it("bump the version counter; changing a tensor no backward rule saved is fine", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(1); // multiplying by a number saves nothing
    const z = y.mul(2);
    y.add_(1);
    expect(y.version).toBe(1);
    z.sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 2, 2]);
  });

  it("PyTorch's message for a saved output modified in place", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.exp();
    y.mul_(2);
    expect(() => y.sum().backward()).toThrowError(
      "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).",
    );
  });

  it("rebase history: in-place ops on non-leaves are differentiated through", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.mul_(x);
    expect(y.gradFn!.name()).toBe("MulBackward0");
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([6, 12]);
  });

  it("zero_, fill_, copy_ write values", () => {
    const t = tensor([1, 2, 3]);
    t.fill_(7);
    expect(t.tolist()).toEqual([7, 7, 7]);
    t.copy_(tensor([1, 2, 3]));
    expect(t.tolist()).toEqual([1, 2, 3]);
    t.zero_();
    expect(t.tolist()).toEqual([0, 0, 0]);
    expect(t.version).toBe(3);
  });
});

describe("autograd.grad and higher order", () => {
  it("returns gradients without touching .grad", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const [dx] = g.autograd.grad(x.pow(3).sum(), x);
    expect(dx!.tolist()).toEqual([3, 12]);
    expect(x.grad).toBeNull();
  });

  it("createGraph gives second derivatives", () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: "float64" });
    const [dx] = g.autograd.grad(x.pow(3).sum(), x, { createGraph: true });
    const [ddx] = g.autograd.grad(dx!.sum(), x);
    expect(ddx!.tolist()).toEqual([6, 12]);
  });

  it("backward with createGraph makes .grad differentiable", () => {
    const x = tensor([2], { requiresGrad: true, dtype: "float64" });
    x.pow(3).sum().backward(null, { createGraph: true });
    expect(x.grad!.requiresGrad).toBe(true);
    const [second] = g.autograd.grad(x.grad!.sum(), x);
    expect(second!.item()).toBe(12);
  });

  it("allowUnused", () => {
    const x = tensor([1], { requiresGrad: true });
    const unused = tensor([1], { requiresGrad: true });
    expect(() => g.autograd.grad(x.mul(2).sum(), [x, unused])).toThrowError(
      "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
    );
    const [dx, du] = g.autograd.grad(x.mul(2).sum(), [x, unused], { allowUnused: true });
    expect(dx!.item()).toBe(2);
    expect(du).toBeNull();
  });

  it("an input that does not require grad", () => {
    const x = tensor([1], { requiresGrad: true });
    expect(() => g.autograd.grad(x.sum(), tensor([1]))).toThrowError("One of the differentiated Tensors does not require grad");
  });
});

describe("the backward engine", () => {
  it("a 1,000,000-node chain backpropagates without a stack overflow", () => {
    const x = tensor(1, { requiresGrad: true, dtype: "float64" });
    let y = x;
    for (let i = 0; i < 1_000_000; i++) y = y.add(1e-6);
    y.backward();
    expect(x.grad!.item()).toBe(1);
  });

  it("a diamond (a tensor used twice) sums both paths and runs nodes in PyTorch's order", () => {
    const x = tensor([3], { requiresGrad: true });
    const a = x.mul(2);
    const b = a.exp().add(a.mul(a));
    const order: string[] = [];
    const names = new Map<unknown, string>();
    const visit = (fn: g.Node | null) => {
      if (!fn || names.has(fn)) return;
      names.set(fn, fn.name());
      fn.registerPrehook(() => void order.push(fn.name()));
      fn.nextFunctions.forEach(([next]) => visit(next));
    };
    const out = b.sum();
    visit(out.gradFn);
    out.backward();
    // b = e^a + a², a = 2x:  db/dx = 2·e^(2x) + 8x
    expect(x.grad!.item()).toBeCloseTo(2 * Math.exp(6) + 8 * 3, 2);
    // Ready nodes run newest first: a·a (created after exp) before exp, then a = 2x once both reached it.
    expect(order).toEqual(["SumBackward0", "AddBackward0", "MulBackward0", "ExpBackward0", "MulBackward0", "AccumulateGrad"]);
  });
});

describe("anomaly mode", () => {
  it("remembers forward locations and raises on NaN produced in backward, naming node and line", () => {
    g.autograd.detectAnomaly(() => {
      const x = tensor([0, 1], { requiresGrad: true });
      const y = x.sqrt();
      expect(y.gradFn!.forwardLocation?.file).toContain("autograd.test.ts");
      const bad = tensor([0], { requiresGrad: true });
      const z = bad.mul(0).div(bad); // 0/0 in backward: NaN
      expect(() => captureWarnings(() => z.sum().backward())).toThrowError(
        /^Function 'DivBackward0' returned nan values in its 1th output\. The forward call that created it was at .*autograd\.test\.ts:\d+:\d+\.$/,
      );
    });
  });
});
