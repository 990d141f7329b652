/**
 * nn: module registration and naming, modes, freezing, zeroGrad, state dicts, reprs, the
 * debugger summary and module-path tracking; layers (Linear init, Dropout, Flatten, Softmax);
 * losses' values, error texts and gradients against float64 finite differences.
 * (test/unit/golden.test.ts also compares MLPs and losses with PyTorch's numbers.)
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { autograd, captureWarnings, inspector, manualSeed, nn, noGrad, ones, optim, randn, tensor, zeros, type Tensor } from "gradscope";
import { setDebuggerRecording } from "../../engine/autograd/tracking";
import { gradcheck } from "./gradcheck";

const F = nn.functional;
const sourceLines = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n");
/** 1-based line of the `// @line:<mark>` comment in this file. */
const lineOfMark = (mark: string) => sourceLines.findIndex((l) => l.includes(`@line:${mark}`)) + 1;
const f64 = { dtype: "float64" as const };
const i64 = { dtype: "int64" as const };

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

function expectClose(actual: Tensor | number[] | number, expected: number[] | number, tol = 1e-12): void {
  const a = typeof actual === "number" ? [actual] : Array.isArray(actual) ? actual : actual.toArray();
  const e = typeof expected === "number" ? [expected] : expected;
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(Math.abs(v - e[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e[i]!))));
}

/** float64 leaf with values from the seeded generator. */
function leaf(shape: number[], seed: number): Tensor {
  manualSeed(seed);
  return randn(shape, { dtype: "float64" }).requiresGrad_();
}

class MLP extends nn.Module {
  fc1 = new nn.Linear(4, 8);
  act = new nn.ReLU();
  fc2 = new nn.Linear(8, 3);

  forward(x: Tensor): Tensor {
    return this.fc2.call(this.act.call(this.fc1.call(x)));
  }
}

describe("Module registration from fields", () => {
  it("names parameters with dotted paths in field order", () => {
    const model = new MLP();
    expect(model.namedParameters().map(([name]) => name)).toEqual(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
    expect(model.parameters()).toEqual([model.fc1.weight, model.fc1.bias, model.fc2.weight, model.fc2.bias]);
    expect(model.namedChildren().map(([name]) => name)).toEqual(["fc1", "act", "fc2"]);
    expect(model.children()).toEqual([model.fc1, model.act, model.fc2]);
    expect(model.namedModules().map(([name]) => name)).toEqual(["", "fc1", "act", "fc2"]);
    expect(model.modules()[0]).toBe(model);
  });

  it("registers arrays of modules and parameters as `field.index`, and Sequential children as 0, 1, ...", () => {
    class Stack extends nn.Module {
      layers = [new nn.Linear(2, 2), new nn.Linear(2, 1, { bias: false })];
      scale = new nn.Parameter(ones([1]));
      extras = [new nn.Parameter(zeros([2]))];
      head = new nn.Sequential(new nn.Tanh(), new nn.Linear(1, 1));
      notAParameter = ones([3]); // a plain tensor field is neither parameter nor buffer, as in PyTorch
      forward(x: Tensor): Tensor {
        return this.head.call(this.layers[1]!.call(this.layers[0]!.call(x)).mul(this.scale));
      }
    }
    const names = new Stack().namedParameters().map(([n]) => n);
    expect(names).toEqual(["scale", "extras.0", "layers.0.weight", "layers.0.bias", "layers.1.weight", "head.1.weight", "head.1.bias"]);
  });

  it("lists a shared parameter or module once", () => {
    class Tied extends nn.Module {
      a = new nn.Linear(3, 3);
      b = this.a;
      forward(x: Tensor): Tensor {
        return this.b.call(this.a.call(x));
      }
    }
    const tied = new Tied();
    expect(tied.parameters()).toHaveLength(2);
    expect(tied.namedModules().map(([n]) => n)).toEqual(["", "a"]);
    expect(tied.namedChildren().map(([n]) => n)).toEqual(["a"]);
  });

  it("apply() visits children before their parent, e.g. to initialise weights", () => {
    const model = new MLP();
    const visited: string[] = [];
    model.apply((m) => {
      visited.push(m.constructor.name);
      if (m instanceof nn.Linear) nn.init.zeros_(m.weight);
    });
    expect(visited).toEqual(["Linear", "ReLU", "Linear", "MLP"]);
    expect(model.fc2.weight.toArray().every((v) => v === 0)).toBe(true);
  });

  it("sees reassigned fields (replacing the head for fine-tuning)", () => {
    const model = new MLP();
    const newHead = new nn.Linear(8, 5);
    model.fc2 = newHead;
    expect(model.parameters().slice(2)).toEqual([newHead.weight, newHead.bias]);
  });

  it("registerParameter / registerModule / registerBuffer, with PyTorch's errors", () => {
    class Custom extends nn.Module {
      constructor() {
        super();
        this.registerParameter("alpha", new nn.Parameter(ones([2])));
        this.registerModule("inner", new nn.Linear(2, 2));
        this.registerBuffer("runningMean", zeros([2]));
        this.registerBuffer("scratch", ones([1]), { persistent: false });
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Custom() as Custom & Record<string, unknown>;
    expect(m.namedParameters().map(([n]) => n)).toEqual(["alpha", "inner.weight", "inner.bias"]);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(["runningMean", "scratch"]);
    expect(m.runningMean).toBeInstanceOf(Object);
    expect(Object.keys(m.stateDict())).toEqual(["alpha", "runningMean", "inner.weight", "inner.bias"]);

    expect(thrown(() => m.registerParameter("a.b", null)).message).toBe('parameter name can\'t contain "."');
    expect(thrown(() => m.registerParameter("", null)).message).toBe('parameter name can\'t be empty string ""');
    const wrongKind = thrown(() => m.registerParameter("w", ones([1]) as nn.Parameter));
    expect(wrongKind.name).toBe("TypeError");
    expect(wrongKind.message).toBe("cannot assign 'torch.FloatTensor' object to parameter 'w' (torch.nn.Parameter or None required)");
    expect(thrown(() => m.registerBuffer("alpha", zeros([1]))).message).toBe("attribute 'alpha' already exists");
  });
});

describe("Parameter", () => {
  it("is a leaf that requires grad and shares the data's storage and version counter", () => {
    const data = tensor([1, 2, 3]);
    const p = new nn.Parameter(data);
    expect(p.isLeaf).toBe(true);
    expect(p.requiresGrad).toBe(true);
    expect(p._storage).toBe(data._storage);
    noGrad(() => data.add_(1));
    expect(p.toArray()).toEqual([2, 3, 4]);
    expect(p.version).toBe(data.version);
    expect(new nn.Parameter(data, false).requiresGrad).toBe(false);
  });

  it("prints as PyTorch does and describes itself as a Parameter", () => {
    const p = new nn.Parameter(tensor([1, 2]));
    expect(p.toString().startsWith("Parameter containing:\n")).toBe(true);
    const describe = (p as unknown as Record<symbol, () => string>)[Symbol.for("debug.description")]!;
    expect(describe.call(p).startsWith("Parameter")).toBe(true);
  });
});

describe("modes, freezing and gradients", () => {
  it("train() and eval() set every descendant's mode", () => {
    const model = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.Dropout()));
    expect(model.eval()).toBe(model);
    expect(model.modules().every((m) => !m.training)).toBe(true);
    model.train();
    expect(model.modules().every((m) => m.training)).toBe(true);
  });

  it("requiresGrad_(false) freezes every parameter; frozen ones get no grad", () => {
    const model = new MLP();
    model.fc1.requiresGrad_(false);
    const loss = model.call(ones([2, 4])).sum();
    loss.backward();
    expect(model.fc1.weight.grad).toBeNull();
    expect(model.fc1.bias!.grad).toBeNull();
    expect(model.fc2.weight.grad).not.toBeNull();
  });

  it("zeroGrad sets grads to null by default, or zeros in place", () => {
    const model = new nn.Linear(2, 2);
    model.call(ones([1, 2])).sum().backward();
    const g = model.weight.grad!;
    model.zeroGrad({ setToNone: false });
    expect(model.weight.grad).toBe(g);
    expect(g.toArray()).toEqual([0, 0, 0, 0]);
    model.zeroGrad();
    expect(model.weight.grad).toBeNull();
  });

  it("the PyTorch docs' fine-tuning recipe: frozen backbone, new head, optimizer over the head", () => {
    manualSeed(0);
    const backbone = new nn.Sequential(new nn.Linear(4, 6), new nn.ReLU(), new nn.Linear(6, 5), new nn.ReLU());
    for (const p of backbone.parameters()) p.requiresGrad = false;
    const model = new nn.Sequential(backbone, new nn.Linear(5, 2));
    // Replace the last layer: a new Linear's parameters require grad by default.
    model.registerModule("1", new nn.Linear(5, 3));
    const head = model.at(1) as nn.Linear;
    const opt = new optim.SGD(head.parameters(), { lr: 0.1, momentum: 0.9 });
    const frozenBefore = backbone.parameters().map((p) => p.toArray());
    const headBefore = head.parameters().map((p) => p.toArray());

    const x = randn([8, 4]);
    const y = tensor([0, 1, 2, 0, 1, 2, 0, 1], i64);
    for (let step = 0; step < 2; step++) {
      opt.zeroGrad();
      const loss = new nn.CrossEntropyLoss().call(model.call(x), y);
      loss.backward();
      opt.step();
    }
    expect(backbone.parameters().map((p) => p.grad)).toEqual([null, null, null, null]);
    expect(backbone.parameters().map((p) => p.toArray())).toEqual(frozenBefore);
    expect(head.parameters().every((p) => p.grad !== null)).toBe(true);
    head.parameters().forEach((p, i) => expect(p.toArray()).not.toEqual(headBefore[i]));
  });
});

describe("state dicts", () => {
  it("round-trips parameters by dotted name", () => {
    const a = new MLP();
    const b = new MLP();
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.fc2.bias!.toArray()).toEqual(a.fc2.bias!.toArray());
    expect(b.fc2.bias!._storage).not.toBe(a.fc2.bias!._storage);
  });

  it("reports missing, unexpected and mis-shaped keys in PyTorch's words", () => {
    const lin = new nn.Linear(2, 3);
    expect(thrown(() => lin.loadStateDict({ weight: zeros([3, 2]), x: zeros([1]) })).message).toBe(
      'Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". \n\tUnexpected key(s) in state_dict: "x". ',
    );
    expect(thrown(() => lin.loadStateDict({ weight: zeros([2, 2]), bias: zeros([3]) })).message).toBe(
      "Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param with shape torch.Size([2, 2]) from checkpoint, the shape in current model is torch.Size([3, 2]).",
    );
    expect(lin.loadStateDict({ weight: ones([3, 2]) }, { strict: false })).toEqual({ missingKeys: ["bias"], unexpectedKeys: [] });
    expect(lin.weight.toArray()).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe("presentation", () => {
  it("prints like PyTorch's module repr", () => {
    const model = new nn.Sequential(
      new nn.Linear(2, 3),
      new nn.ReLU(),
      new nn.Dropout(),
      new nn.Flatten(),
      new nn.Softmax(1),
      new nn.LogSoftmax(1),
      new nn.Identity(),
      new nn.MSELoss(),
      new nn.CrossEntropyLoss(),
      new nn.Linear(2, 3, { bias: false }),
      new nn.Sequential(new nn.Linear(1, 1)),
    );
    expect(model.toString()).toBe(
      [
        "Sequential(",
        "  (0): Linear(in_features=2, out_features=3, bias=True)",
        "  (1): ReLU()",
        "  (2): Dropout(p=0.5, inplace=False)",
        "  (3): Flatten(start_dim=1, end_dim=-1)",
        "  (4): Softmax(dim=1)",
        "  (5): LogSoftmax(dim=1)",
        "  (6): Identity()",
        "  (7): MSELoss()",
        "  (8): CrossEntropyLoss()",
        "  (9): Linear(in_features=2, out_features=3, bias=False)",
        "  (10): Sequential(",
        "    (0): Linear(in_features=1, out_features=1, bias=True)",
        "  )",
        ")",
      ].join("\n"),
    );
    expect(new MLP().toString()).toBe(
      "MLP(\n  (fc1): Linear(in_features=4, out_features=8, bias=True)\n  (act): ReLU()\n  (fc2): Linear(in_features=8, out_features=3, bias=True)\n)",
    );
  });

  it("is recognised by the debugger's inspector (modules and parameters carry its brands)", () => {
    const lin = new nn.Linear(3, 2);
    expect(inspector.isModule(lin)).toBe(true);
    expect(inspector.isModule(lin.weight)).toBe(false);
    expect(inspector.tensorInfo(lin.weight)!.isParameter).toBe(true);
    expect(inspector.tensorInfo(ones([1]))!.isParameter).toBe(false);
    expect(inspector.moduleInfo(lin)!.parameters.map((p) => p.name)).toEqual(["weight", "bias"]);
  });

  it("gives debuggers a one-line summary with parameter counts", () => {
    const describe = (m: nn.Module) => (m as unknown as Record<symbol, () => string>)[Symbol.for("debug.description")]!.call(m);
    expect(describe(new nn.Linear(784, 128))).toBe("Linear(in=784, out=128) · 100,480 params · 0 frozen");
    const model = new MLP();
    model.fc1.requiresGrad_(false);
    expect(describe(model.eval())).toBe("MLP(3 children) · 67 params · 40 frozen · eval");
    const properties = (model as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for("debug.properties")]!.call(model);
    expect(Object.keys(properties)).toEqual(["training", "fc1", "act", "fc2"]);
  });
});

describe("Module.call", () => {
  afterEach(() => setDebuggerRecording(false));

  it("runs forward hooks, which may replace the output", () => {
    const lin = new nn.Linear(2, 2);
    const seen: unknown[] = [];
    const handle = lin.registerForwardHook((_m, args, out) => {
      seen.push(args.length);
      return (out as Tensor).mul(0);
    });
    expect(lin.call(ones([1, 2])).toArray()).toEqual([0, 0]);
    handle.remove();
    expect(lin.call(ones([1, 2])).toArray()).not.toEqual([0, 0]);
    expect(seen).toEqual([1]);
    const pre = lin.registerForwardPreHook(() => [zeros([1, 2])]);
    expect(lin.call(ones([1, 2])).toArray()).toEqual(lin.bias!.toArray());
    pre.remove();
  });

  it("records each node's module path while the debugger records, and nothing otherwise", () => {
    const model = new MLP();
    const x = ones([2, 4]);
    expect(model.call(x).gradFn!.modulePath).toBeNull();
    setDebuggerRecording(true);
    const out = model.call(x);
    expect(out.gradFn!.name()).toBe("AddmmBackward0");
    expect(out.gradFn!.modulePath).toBe("MLP.fc2");
    const relu = out.gradFn!.next.find((n) => n?.name() === "ReluBackward0")!;
    expect(relu.modulePath).toBe("MLP.act");
    const seq = new nn.Sequential(new nn.Linear(4, 2));
    expect(seq.call(x).gradFn!.modulePath).toBe("Sequential.0");
    const loss = new nn.MSELoss().call(out, zeros([2, 3]));
    expect(loss.gradFn!.modulePath).toBe("MSELoss");
  });

  it("records each node's forward line: the user's call of the engine's modules, a user forward's own lines, a hook's line", () => {
    class Block extends nn.Module {
      fc = new nn.Linear(4, 4);
      forward(x: Tensor): Tensor {
        const h = this.fc.call(x); // @line:block-fc
        return h.tanh(); // @line:block-tanh
      }
    }
    class Twice extends nn.Sequential {
      override forward(x: Tensor): Tensor {
        return super.forward(x).mul(2); // @line:twice
      }
    }
    setDebuggerRecording(true);
    const x = ones([2, 4]);
    const model = new nn.Sequential(new Block(), new nn.ReLU(), new nn.Linear(4, 3));
    const out = model.call(x); // @line:model
    const again = model.call(x); // @line:again
    const twice = new Twice(new nn.Linear(4, 4)).call(x); // @line:twice-call
    const hooked = new nn.Linear(4, 4);
    hooked.registerForwardHook((_m, _args, output) => (output as Tensor).neg()); // @line:hook
    const negated = hooked.call(x); // @line:hooked
    const noGradOut = noGrad(() => model.call(x));

    /** "Name modulePath" -> the line of each function node reachable from `root`. */
    const lines = (root: Tensor) => {
      const found = new Map<string, number | undefined>();
      const visit = (fn: (typeof root)["gradFn"]) => {
        if (!fn) return;
        found.set(`${fn.name()} ${fn.modulePath ?? ""}`, fn.forwardLocation?.line);
        for (const [next] of fn.nextFunctions) visit(next);
      };
      visit(root.gradFn);
      return found;
    };
    const model1 = lines(out);
    expect(model1.get("AddmmBackward0 Sequential.0.fc")).toBe(lineOfMark("block-fc"));
    expect(model1.get("TanhBackward0 Sequential.0")).toBe(lineOfMark("block-tanh"));
    expect(model1.get("ReluBackward0 Sequential.1")).toBe(lineOfMark("model"));
    expect(model1.get("AddmmBackward0 Sequential.2")).toBe(lineOfMark("model"));
    expect(model1.get("AccumulateGrad Sequential.2")).toBe(lineOfMark("model"));
    // Each call has its own stack: nothing is left over from the previous one.
    const model2 = lines(again);
    expect(model2.get("ReluBackward0 Sequential.1")).toBe(lineOfMark("again"));
    expect(model2.get("AddmmBackward0 Sequential.0.fc")).toBe(lineOfMark("block-fc"));
    // A user forward that runs the engine's Sequential.forward: its line, above the engine's frames.
    const twiceLines = lines(twice);
    expect(twiceLines.get("MulBackward0 Twice")).toBe(lineOfMark("twice"));
    expect(twiceLines.get("AddmmBackward0 Twice.0")).toBe(lineOfMark("twice"));
    const hookedLines = lines(negated);
    expect(hookedLines.get("NegBackward0 Linear")).toBe(lineOfMark("hook"));
    expect(hookedLines.get("AddmmBackward0 Linear")).toBe(lineOfMark("hooked"));
    expect(noGradOut.gradFn).toBeNull();
  });
});

describe("forward locations of nn.functional", () => {
  afterEach(() => setDebuggerRecording(false));

  // Ops capture only a few frames above the op (each one costs every op while the debugger
  // records, and every stack again when the graph resolves it): enough to pass the engine's
  // helpers between a functional call and the op, such as a loss's reduction.
  it("puts every node a functional call makes at the user's line, through the engine's helpers (and in-place ops on views)", () => {
    setDebuggerRecording(true);
    const F = nn.functional;
    const x = randn([4, 3], { requiresGrad: true });
    const p = x.sigmoid();
    const probs = tensor([[0.2, 0.7, 0.1], [0.3, 0.3, 0.4], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8]]);
    const labels = tensor([0, 2, 1, 2], { dtype: "int64" });
    // prettier-ignore
    const outputs = [F.l1Loss(x, probs), F.l1Loss(x, probs, "sum"), F.mseLoss(x, probs), F.crossEntropy(x, labels), F.crossEntropy(x, probs, { labelSmoothing: 0.1 }), F.crossEntropy(x, labels, { labelSmoothing: 0.1 }), F.binaryCrossEntropy(p, probs), F.binaryCrossEntropyWithLogits(x, probs, { posWeight: ones([3]) }), F.nllLoss(F.logSoftmax(x, 1), labels), F.softmax(x, 1), F.relu(x), F.tanh(x), F.linear(x, ones([2, 3], { requiresGrad: true }))]; // @line:functional-calls
    const base = x.mul(1); base.t().mul_(2); base.view([12]).add_(1); // @line:in-place-views
    expect(base.gradFn!.name()).toBe("CopySlices");
    for (const out of [...outputs, base]) {
      const line = out === base ? lineOfMark("in-place-views") : lineOfMark("functional-calls");
      const seen = new Set<unknown>();
      const visit = (fn: (typeof out)["gradFn"]) => {
        if (!fn || seen.has(fn) || fn === p.gradFn) return;
        seen.add(fn);
        if (fn.name() !== "AccumulateGrad") expect([fn.name(), fn.forwardLocation?.line]).toEqual([fn.name(), line]);
        for (const [next] of fn.nextFunctions) visit(next);
      };
      visit(out.gradFn);
      expect(seen.size).toBeGreaterThan(0);
    }
  });
});

describe("Linear", () => {
  it("initialises weight and bias uniformly in ±1/√in (kaiming_uniform_ with a = √5)", () => {
    manualSeed(1);
    const lin = new nn.Linear(16, 300);
    const bound = 1 / Math.sqrt(16);
    const w = lin.weight.toArray();
    const b = lin.bias!.toArray();
    expect(lin.weight.shape).toEqual([300, 16]);
    expect(lin.bias!.shape).toEqual([300]);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    // Spread over the whole interval, not a narrower one.
    expect(Math.max(...w)).toBeGreaterThan(0.95 * bound);
    expect(Math.min(...w)).toBeLessThan(-0.95 * bound);
  });

  it("is deterministic under manualSeed and honours dtype and bias: false", () => {
    manualSeed(7);
    const a = new nn.Linear(3, 2, f64).weight.toArray();
    manualSeed(7);
    const lin = new nn.Linear(3, 2, { dtype: "float64", bias: false });
    expect(lin.weight.toArray()).toEqual(a);
    expect(lin.weight.dtype).toBe("float64");
    expect(lin.bias).toBeNull();
    expect(lin.parameters()).toHaveLength(1);
  });

  it("computes x·Wᵀ + b for 1-D, 2-D and 3-D inputs, with PyTorch's gradFn names", () => {
    const lin = new nn.Linear(3, 2, f64);
    noGrad(() => {
      lin.weight.copy_(tensor([[1, 2, 3], [4, 5, 6]], f64));
      lin.bias!.copy_(tensor([0.5, -0.5], f64));
    });
    const x = tensor([[1, 0, -1], [2, 1, 0]], f64);
    const y = lin.call(x);
    expect(y.tolist()).toEqual([[-1.5, -2.5], [4.5, 12.5]]);
    expect(y.gradFn!.name()).toBe("AddmmBackward0");
    expect(lin.call(tensor([1, 0, -1], f64)).tolist()).toEqual([-1.5, -2.5]);
    const batched = lin.call(x.reshape(1, 2, 3));
    expect(batched.shape).toEqual([1, 2, 2]);
    expect(batched.gradFn!.name()).toBe("ViewBackward0");
    expect(gradcheck((w, b, inp) => F.linear(inp!, w!, b!), [leaf([2, 3], 1), leaf([2], 2), leaf([4, 3], 3)])).toEqual([]);
    expect(gradcheck((w, inp) => F.linear(inp!, w!), [leaf([2, 3], 4), leaf([2, 5, 3], 5)])).toEqual([]);
  });

  it("reports a shape mismatch as PyTorch does", () => {
    expect(thrown(() => new nn.Linear(3, 2).call(ones([4, 5]))).message).toBe("mat1 and mat2 shapes cannot be multiplied (4x5 and 3x2)");
  });
});

describe("Sequential", () => {
  it("chains children; accepts named children; append, length, at, iteration", () => {
    const seq = new nn.Sequential({ fc: new nn.Linear(2, 2), act: new nn.ReLU() });
    expect(seq.namedChildren().map(([n]) => n)).toEqual(["fc", "act"]);
    seq.append(new nn.Identity());
    expect(seq.length).toBe(3);
    expect(seq.at(-1)).toBeInstanceOf(nn.Identity);
    expect([...seq].length).toBe(3);
    const out = seq.call(tensor([[-10, -10]]));
    expect(out.toArray().every((v) => v >= 0)).toBe(true);
  });

  it("runs a module listed twice twice, but lists its parameters once", () => {
    const lin = new nn.Linear(1, 1, { bias: false });
    noGrad(() => lin.weight.fill_(3));
    const seq = new nn.Sequential(lin, lin);
    expect(seq.call(tensor([[1]])).item()).toBe(9);
    expect(seq.length).toBe(2);
    expect(seq.parameters()).toHaveLength(1);
    expect(seq.namedChildren().map(([n]) => n)).toEqual(["0"]);
  });
});

describe("activations and shape layers", () => {
  it("ReLU, Sigmoid, Tanh, Identity, Flatten, Softmax, LogSoftmax", () => {
    const x = tensor([[-1, 0, 2]], f64);
    expect(new nn.ReLU().call(x).toArray()).toEqual([0, 0, 2]);
    expectClose(new nn.Sigmoid().call(x), [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))]);
    expectClose(new nn.Tanh().call(x), [Math.tanh(-1), 0, Math.tanh(2)]);
    expect(new nn.Identity().call(x)).toBe(x);
    expect(new nn.Flatten().call(ones([2, 3, 4])).shape).toEqual([2, 12]);
    expectClose(new nn.Softmax(1).call(x).sum(1), [1]);
    expectClose(new nn.LogSoftmax(1).call(x).exp().sum(1), [1]);
  });

  it("Softmax without a dim warns and picks PyTorch's legacy dim", () => {
    const { result, warnings } = captureWarnings(() => new nn.Softmax().call(ones([2, 3])));
    expect(result.sum(1).toArray()).toEqual([1, 1]);
    expect(warnings.map((w) => w.message)).toEqual([
      "Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.",
    ]);
  });
});

describe("Dropout", () => {
  it("in training zeroes about p of the elements and scales the rest by 1/(1 − p)", () => {
    manualSeed(3);
    const x = ones([100, 100]);
    const y = new nn.Dropout(0.3).call(x).toArray();
    const zerosCount = y.filter((v) => v === 0).length;
    expect(zerosCount / y.length).toBeGreaterThan(0.27);
    expect(zerosCount / y.length).toBeLessThan(0.33);
    expect(new Set(y.filter((v) => v !== 0).map((v) => v.toFixed(6)))).toEqual(new Set([(1 / 0.7).toFixed(6)]));
  });

  it("is the identity in eval mode and with p = 0; p = 1 zeroes everything", () => {
    const x = randn([4, 4]);
    const drop = new nn.Dropout(0.5);
    drop.eval();
    expect(drop.call(x)).toBe(x);
    expect(F.dropout(x, 0, true)).toBe(x);
    expect(F.dropout(x, 1, true).toArray().every((v) => v === 0)).toBe(true);
  });

  it("is deterministic under manualSeed, and its gradient is the same mask", () => {
    manualSeed(11);
    const a = F.dropout(ones([50]), 0.5).toArray();
    manualSeed(11);
    const x = ones([50], { requiresGrad: true });
    const y = F.dropout(x, 0.5);
    expect(y.toArray()).toEqual(a);
    expect(y.gradFn!.name()).toBe("MulBackward0");
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual(a);
  });

  it("rejects p outside [0, 1] with PyTorch's ValueError", () => {
    const error = thrown(() => new nn.Dropout(1.5));
    expect(error.name).toBe("ValueError");
    expect(error.message).toBe("dropout probability has to be between 0 and 1, but got 1.5");
    expect(thrown(() => F.dropout(ones([2]), -0.1)).message).toBe("dropout probability has to be between 0 and 1, but got -0.1");
  });
});

describe("init", () => {
  it("fills in place under noGrad, within the documented bounds", () => {
    manualSeed(5);
    const w = new nn.Parameter(zeros([50, 20]));
    nn.init.xavierUniform_(w);
    const xb = Math.sqrt(6 / 70);
    expect(Math.max(...w.toArray().map(Math.abs))).toBeLessThanOrEqual(xb);
    nn.init.kaimingUniform_(w, { nonlinearity: "relu" });
    expect(Math.max(...w.toArray().map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(2) * Math.sqrt(3 / 20));
    nn.init.constant_(w, 0.25);
    expect(new Set(w.toArray())).toEqual(new Set([0.25]));
    nn.init.zeros_(w);
    nn.init.ones_(w);
    expect(w.sum().item()).toBe(1000);
    expect(w.isLeaf && w.requiresGrad).toBe(true);
    expect(nn.init.calculateGain("leaky_relu", Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(nn.init.calculateGain("tanh")).toBeCloseTo(5 / 3, 15);
  });

  it("raises PyTorch's errors", () => {
    expect(thrown(() => nn.init.kaimingUniform_(zeros([3]))).message).toBe(
      "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
    );
    expect(thrown(() => nn.init.calculateGain("foo" as never)).message).toBe("Unsupported nonlinearity foo");
    expect(thrown(() => nn.init.kaimingUniform_(zeros([3, 2]), { mode: "bad" as never })).message).toBe(
      "Mode bad not supported, please use one of ['fan_in', 'fan_out']",
    );
  });
});

describe("MSELoss and L1Loss", () => {
  const input = () => tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
  const target = () => tensor([[0, 2], [5, 3.5]], f64);

  it("values in each reduction, with MseLossBackward0", () => {
    expect(new nn.MSELoss({ reduction: "none" }).call(input(), target()).tolist()).toEqual([[1, 0], [4, 0.25]]);
    expect(new nn.MSELoss({ reduction: "sum" }).call(input(), target()).item()).toBe(5.25);
    const mean = new nn.MSELoss().call(input(), target());
    expect(mean.item()).toBe(5.25 / 4);
    expect(mean.gradFn!.name()).toBe("MseLossBackward0");
    expect(new nn.L1Loss().call(input(), target()).item()).toBe((1 + 0 + 2 + 0.5) / 4);
    expect(new nn.L1Loss({ reduction: "none" }).call(input(), target()).tolist()).toEqual([[1, 0], [2, 0.5]]);
  });

  it("gradients match finite differences for input and target", () => {
    for (const reduction of ["none", "mean", "sum"] as const) {
      expect(gradcheck((a, b) => F.mseLoss(a!, b!, reduction), [leaf([3, 4], 1), leaf([3, 4], 2)])).toEqual([]);
      expect(gradcheck((a, b) => F.l1Loss(a!, b!, reduction), [leaf([5], 3), leaf([5], 4)])).toEqual([]);
    }
  });

  it("supports double backward (createGraph)", () => {
    const x = leaf([4], 6);
    const y = tensor([0, 0, 0, 0], f64);
    const [g] = autograd.grad(F.mseLoss(x, y), [x], { createGraph: true });
    expectClose(g!, x.toArray().map((v) => v / 2)); // 2·x/N
    g!.sum().backward();
    expectClose(x.grad!, [0.5, 0.5, 0.5, 0.5]);
  });

  it("warns, then broadcasts, when the target's size differs", () => {
    const { result, warnings } = captureWarnings(() => F.mseLoss(ones([3, 1]), zeros([3])));
    expect(result.item()).toBe(1);
    expect(warnings.map((w) => w.message)).toEqual([
      "Using a target size (torch.Size([3])) that is different to the input size (torch.Size([3, 1])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
    ]);
    expect(gradcheck((a, b) => F.mseLoss(a!, b!), [leaf([3, 1], 7), leaf([3], 8)])).toEqual([]);
  });

  it("rejects an unknown reduction", () => {
    const error = thrown(() => new nn.MSELoss({ reduction: "bogus" as never }));
    expect(error.name).toBe("ValueError");
    expect(error.message).toBe("bogus is not a valid value for reduction");
  });
});

describe("CrossEntropyLoss and NLLLoss", () => {
  const logits = () => tensor([[2, 1, 0.1], [0.5, 2.5, 0.3]], { dtype: "float64", requiresGrad: true });
  const labels = () => tensor([0, 2], i64);

  function byHand(rows: number[][], targets: number[]): number[] {
    return rows.map((row, i) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[targets[i]!]!);
  }

  it("is −log softmax at the target, reduced; gradFn NllLossBackward0", () => {
    const expected = byHand([[2, 1, 0.1], [0.5, 2.5, 0.3]], [0, 2]);
    expectClose(new nn.CrossEntropyLoss({ reduction: "none" }).call(logits(), labels()), expected);
    expectClose(new nn.CrossEntropyLoss({ reduction: "sum" }).call(logits(), labels()), expected[0]! + expected[1]!);
    const loss = new nn.CrossEntropyLoss().call(logits(), labels());
    expectClose(loss, (expected[0]! + expected[1]!) / 2);
    expect(loss.gradFn!.name()).toBe("NllLossBackward0");
    expect(loss.gradFn!.next[0]!.name()).toBe("LogSoftmaxBackward0");
  });

  it("the gradient is (softmax − onehot)/N", () => {
    const x = logits();
    new nn.CrossEntropyLoss().call(x, labels()).backward();
    const p = x.detach().softmax(1).tolist() as number[][];
    expectClose(x.grad!, [(p[0]![0]! - 1) / 2, p[0]![1]! / 2, p[0]![2]! / 2, p[1]![0]! / 2, p[1]![1]! / 2, (p[1]![2]! - 1) / 2]);
  });

  it("gradients match finite differences: reductions, weights, ignoreIndex, label smoothing, K-dim and 1-D input", () => {
    const t = tensor([1, 0, 3, 1], i64);
    const w = tensor([0.2, 1, 3, 0.5], f64);
    for (const reduction of ["none", "mean", "sum"] as const) {
      const options = [
        { reduction },
        { reduction, weight: w },
        { reduction, ignoreIndex: 1 },
        { reduction, weight: w, ignoreIndex: 3, labelSmoothing: 0.2 },
        { reduction, labelSmoothing: 0.1 },
      ];
      for (const o of options) {
        expect(gradcheck((x) => F.crossEntropy(x!, t, o), [leaf([4, 4], 10)])).toEqual([]);
        expect(gradcheck((x) => F.nllLoss(x!, t, o), [leaf([4, 4], 11)])).toEqual([]);
      }
      const spatial = tensor([[0, 2, 1], [1, 1, 0]], i64);
      expect(gradcheck((x) => F.crossEntropy(x!, spatial, { reduction }), [leaf([2, 3, 3], 12)])).toEqual([]);
      expect(gradcheck((x) => F.crossEntropy(x!, tensor(2, i64), { reduction }), [leaf([5], 13)])).toEqual([]);
      const probabilities = tensor([[0.2, 0.8, 0], [0.5, 0.25, 0.25]], f64);
      expect(gradcheck((x) => F.crossEntropy(x!, probabilities, { reduction, labelSmoothing: 0.1 }), [leaf([2, 3], 14)])).toEqual([]);
    }
  });

  it("weights and ignoreIndex follow PyTorch's mean (divide by the kept targets' total weight)", () => {
    const x = tensor([[1, 2, 3], [3, 2, 1], [0, 0, 0]], f64);
    const t = tensor([2, 0, 1], i64);
    const per = byHand([[1, 2, 3], [3, 2, 1], [0, 0, 0]], [2, 0, 1]);
    const w = tensor([2, 1, 0.5], f64);
    expectClose(F.crossEntropy(x, t, { weight: w }), (0.5 * per[0]! + 2 * per[1]! + 1 * per[2]!) / 3.5);
    expectClose(F.crossEntropy(x, t, { ignoreIndex: 0 }), (per[0]! + per[2]!) / 2);
    expectClose(F.crossEntropy(x, t, { ignoreIndex: 0, reduction: "none" }), [per[0]!, 0, per[2]!]);
    expect(Number.isNaN(F.crossEntropy(x, tensor([-100, -100, -100], i64)).item())).toBe(true);
  });

  it("label smoothing mixes in the uniform distribution, as class probabilities would", () => {
    const x = tensor([[2, 1, 0.1], [0.5, 2.5, 0.3]], f64);
    const eps = 0.3;
    const smoothedTargets = tensor([[1 - eps + eps / 3, eps / 3, eps / 3], [eps / 3, eps / 3, 1 - eps + eps / 3]], f64);
    expectClose(F.crossEntropy(x, labels(), { labelSmoothing: eps }), F.crossEntropy(x, smoothedTargets).item());
  });

  it("NLLLoss takes log-probabilities", () => {
    const logp = tensor([[-0.5, -1.2, -2.0], [-3.0, -0.1, -2.5]], f64);
    expectClose(new nn.NLLLoss().call(logp, tensor([1, 0], i64)), (1.2 + 3.0) / 2);
    expectClose(new nn.NLLLoss({ weight: tensor([1, 2, 3], f64), reduction: "sum" }).call(logp, tensor([1, 0], i64)), 2 * 1.2 + 3.0);
  });

  it("raises PyTorch's errors for bad targets and options", () => {
    const x = ones([4, 5]);
    const cases: Array<[() => unknown, string, string]> = [
      [() => F.crossEntropy(x, tensor([0, 1, 2, 3], f64)), "RuntimeError", "expected scalar type Long but found Double"],
      [() => F.crossEntropy(x, tensor([0, 1, 2, 3])), "RuntimeError", "expected scalar type Long but found Float"],
      [() => F.crossEntropy(x, tensor([0, 1, 2], i64)), "ValueError", "Expected input batch_size (4) to match target batch_size (3)."],
      [() => F.crossEntropy(x, tensor([[0, 1, 2, 3]], i64)), "ValueError", "Expected input batch_size (4) to match target batch_size (1)."],
      [() => F.crossEntropy(x, tensor([0, 1, 2, 5], i64)), "IndexError", "Target 5 is out of bounds."],
      [() => F.crossEntropy(x, tensor([0, 1, 2, -3], i64)), "IndexError", "Target -3 is out of bounds."],
      [() => F.crossEntropy(x, tensor([0, 1, 2, 3], i64), { labelSmoothing: 1.5 }), "RuntimeError", "label_smoothing must be between 0.0 and 1.0. Got: 1.5"],
      [() => F.nllLoss(x, tensor([0, 1, 2, 3], i64), { reduction: "bogus" as never }), "ValueError", "bogus is not a valid value for reduction"],
      [() => F.nllLoss(ones([3, 5]), tensor([0, 1, 2], i64), { weight: ones([4]) }), "RuntimeError", "weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [4]"],
      [() => F.nllLoss(ones([2, 5, 3]), tensor([[0, 1], [1, 1]], i64)), "RuntimeError", "Expected target size [2, 3], got [2, 2]"],
      [() => F.nllLoss(ones([5]), tensor([2, 1], i64)), "RuntimeError", "size mismatch (got input: [5], target: [2])"],
    ];
    for (const [fn, name, message] of cases) {
      const error = thrown(fn);
      expect([error.name, error.message]).toEqual([name, message]);
    }
  });
});

describe("BCELoss and BCEWithLogitsLoss", () => {
  it("values, gradFn and gradients", () => {
    const p = tensor([0.2, 0.9, 0.5], f64);
    const y = tensor([0, 1, 1], f64);
    const expected = -(Math.log(0.8) + Math.log(0.9) + Math.log(0.5)) / 3;
    const loss = new nn.BCELoss().call(p.clone().requiresGrad_(), y);
    expectClose(loss, expected);
    expect(loss.gradFn!.name()).toBe("BinaryCrossEntropyBackward0");
    const logits = tensor([-1.3862943611198906, 2.1972245773362196, 0], f64); // logit(0.2), logit(0.9), logit(0.5)
    expectClose(new nn.BCEWithLogitsLoss().call(logits, y), expected, 1e-12);
    expectClose(F.binaryCrossEntropyWithLogits(tensor([1000, -1000], f64), tensor([1, 0], f64), { reduction: "sum" }), 0);

    const probs = () => {
      const t = tensor([0.3, 0.6, 0.45, 0.8], { dtype: "float64" });
      return t.requiresGrad_();
    };
    const target = tensor([0, 1, 0.5, 1], f64);
    for (const reduction of ["none", "mean", "sum"] as const) {
      expect(gradcheck((a) => F.binaryCrossEntropy(a!, target, { reduction, weight: tensor([1, 2, 0.5, 1], f64) }), [probs()])).toEqual([]);
      expect(gradcheck((a, b) => F.binaryCrossEntropyWithLogits(a!, b!, { reduction, posWeight: tensor([2, 1, 0.5, 3], f64) }), [leaf([4], 20), probs()])).toEqual([]);
    }
  });

  it("raises PyTorch's errors", () => {
    expect(thrown(() => F.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([0, 1]))).message).toBe("all elements of input should be between 0 and 1");
    expect(thrown(() => F.binaryCrossEntropy(tensor([0.5, 0.5, 0.5]), zeros([3, 1]))).message).toBe(
      "Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])) is deprecated. Please ensure they have the same size.",
    );
    expect(thrown(() => F.binaryCrossEntropyWithLogits(zeros([3]), zeros([3, 1]))).message).toBe(
      "Target size (torch.Size([3, 1])) must be the same as input size (torch.Size([3]))",
    );
  });
});
