/**
 * The engine's debugger surface for backward stepping (engine/debug): when the backward hook
 * is called and why, the node frames it exposes, gradient-write watches, and the compact
 * graph wire form the adapter decodes. Runs in-process: the hook is replaced by a recorder.
 */
import { afterEach, describe, expect, it } from "vitest";
import { inspector, nn, tensor } from "gradscope";
import type { BackwardNodeEvent, GradWriteEvent, RawGraphWire } from "../../engine/debug/inspectTypes";
import { decodeGraph } from "../../engine/debug/graphWire";
import { wireToCompact } from "../../src/debug/graph/snapshotMapper";
import { decodeGraphSnapshot } from "../../src/protocol/compactSnapshot";
import type { FunctionNode, GraphSnapshot } from "../../src/protocol/graphSnapshot";
import type { RawBackwardState } from "../../engine/debug/inspectTypes";

/** What a client of `gradscope.graph` gets from a dump: the adapter's body, through JSON, decoded. */
function snapshotOf(wire: RawGraphWire, generation: number, backward?: RawBackwardState): GraphSnapshot {
  return decodeGraphSnapshot(JSON.parse(JSON.stringify(wireToCompact(wire, generation, backward))));
}

interface Recorder {
  events: BackwardNodeEvent[];
  writes: GradWriteEvent[];
  /** What currentStop/nodeFrame said at each stop, read while "paused" inside the hook. */
  frames: Array<{ names: string[]; frame: Record<string, unknown> | null }>;
}

const surface = inspector as unknown as {
  onBackwardNode(event: BackwardNodeEvent): unknown;
  onGradientWritten(event: GradWriteEvent): unknown;
  onAutogradError(error: Error): unknown;
};

function record(scope: Record<string, unknown> = {}): Recorder {
  const recorder: Recorder = { events: [], writes: [], frames: [] };
  surface.onBackwardNode = (event) => {
    recorder.events.push(event);
    const stop = inspector.currentStop(scope);
    recorder.frames.push({ names: stop?.inputNames ?? [], frame: inspector.nodeFrame(null, scope) });
  };
  surface.onGradientWritten = (event) => recorder.writes.push(event);
  return recorder;
}

afterEach(() => {
  inspector.configure({ recording: false, forwardLocations: true, stepping: false, nanInf: false, functionBreakpoints: [], gradWatches: [], autogradErrors: false });
  delete (surface as Partial<typeof surface>).onBackwardNode;
  delete (surface as Partial<typeof surface>).onGradientWritten;
  delete (surface as Partial<typeof surface>).onAutogradError;
});

function diamond() {
  const w = tensor([2, 3], { requiresGrad: true });
  const x = tensor([1, -1]);
  const a = w.mul(x);
  const loss = a.exp().add(a.tanh()).sum();
  return { w, x, a, loss };
}

describe("the backward hook", () => {
  it("is called after every node while stepping, in engine order, then once more when the pass ends", () => {
    const { w, x, loss } = diamond();
    const recorder = record({ w, x });
    inspector.configure({ recording: true, stepping: true });
    loss.backward();
    expect(recorder.events.map((e) => `${e.reason}:${e.name}`)).toEqual([
      "step:SumBackward0",
      "step:AddBackward0",
      "step:TanhBackward0",
      "step:ExpBackward0",
      "step:MulBackward0",
      "step:AccumulateGrad",
      "passEnded:",
    ]);
    expect(recorder.events.slice(0, 6).map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5]);
    // At MulBackward0: inputs are named from the scope; x needs no gradient (no edge to name it by).
    const mul = recorder.frames[4]!;
    expect(mul.names).toEqual(["w", "input1"]);
    expect(Object.keys(mul.frame!)).toEqual(["gradOutput", "gradInputs", "w", "saved"]);
    expect(Object.keys(mul.frame!.gradInputs as object)).toEqual(["w", "input1"]);
    expect((mul.frame!.gradInputs as Record<string, unknown>).input1).toBeNull();
    expect(Object.keys(mul.frame!.saved as object)).toEqual(["w", "x"]);
    // The stops stay recorded until the next pass starts.
    expect(inspector.history().map((h) => h.name)).toEqual(["SumBackward0", "AddBackward0", "TanhBackward0", "ExpBackward0", "MulBackward0", "AccumulateGrad"]);
  });

  it("is not called for anything but the armed reasons, and costs no observer when nothing is armed", () => {
    const { loss } = diamond();
    const recorder = record();
    inspector.configure({ functionBreakpoints: ["ExpBackward0"] });
    loss.backward();
    expect(recorder.events.map((e) => [e.reason, e.name])).toEqual([["functionBreakpoint", "ExpBackward0"]]);
  });

  it("follows each change of what is armed: a breakpoint on a type the pass never runs, then none, then stepping", () => {
    const recorder = record();
    inspector.configure({ recording: true, functionBreakpoints: ["NoSuchBackward0"] });
    diamond().loss.backward();
    expect(recorder.events).toEqual([]);
    inspector.configure({ functionBreakpoints: ["NoSuchBackward0", "TanhBackward0"], gradWatches: [] });
    diamond().loss.backward();
    expect(recorder.events.map((e) => [e.reason, e.name])).toEqual([["functionBreakpoint", "TanhBackward0"]]);
    inspector.configure({ functionBreakpoints: [] });
    diamond().loss.backward();
    expect(recorder.events).toHaveLength(1);
    inspector.setBackwardStepping(true);
    diamond().loss.backward();
    expect(recorder.events.slice(1).map((e) => e.reason)).toEqual(["step", "step", "step", "step", "step", "step", "passEnded"]);
    inspector.setBackwardStepping(false);
    diamond().loss.backward();
    expect(recorder.events).toHaveLength(8);
  });

  it("nanInf: stops once, at the first node whose gradInputs hold a NaN or an infinity, naming input and element", () => {
    const x = tensor([1, 0, 2], { requiresGrad: true });
    const y = x.mul(1);
    const loss = y.log().sum();
    const recorder = record({ x, y });
    inspector.configure({ nanInf: true });
    loss.backward();
    expect(recorder.events).toHaveLength(1);
    expect(recorder.events[0]).toMatchObject({ reason: "nanInf", name: "LogBackward0", nonFinite: { inputIndex: 0, flatIndex: 1, index: [1], value: "Infinity" } });
    expect(recorder.frames[0]!.names).toEqual(["y"]);
  });

  it("gradient watches stop at the AccumulateGrad that writes the grad, and at the user's assignment", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const recorder = record({ w });
    inspector.configure({ gradWatches: [inspector.tensorId(w)!] });
    w.mul(w).sum().backward();
    expect(recorder.events.map((e) => [e.reason, e.name, e.watchedTensorId])).toEqual([["gradWritten", "AccumulateGrad", w.id]]);
    w.grad = tensor([0, 0]);
    expect(recorder.writes).toEqual([{ tensorId: w.id, location: expect.objectContaining({ line: expect.any(Number) }) }]);
    expect(recorder.writes[0]!.location!.file).toContain("backwardDebugSurface.test.ts");
  });

  it("keeps earlier stops of the pass: a recorded frame shows a leaf's grad as it was then", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.grad = tensor([10, 10]);
    const loss = w.mul(3).sum();
    const frames: Array<Record<string, unknown> | null> = [];
    surface.onBackwardNode = (event) => {
      if (event.name === "AccumulateGrad") frames.push(inspector.nodeFrame(event.step - 1, { w }), inspector.nodeFrame(null, { w }));
    };
    inspector.configure({ stepping: true });
    loss.backward();
    const [before, live] = frames as Array<Record<string, { grad: { tolist(): number[] } }>>;
    expect(before!.w!.grad.tolist()).toEqual([10, 10]);
    expect(live!.w!.grad.tolist()).toEqual([13, 13]);
  });
});

describe("forward locations", () => {
  it("are captured while recording unless turned off, and from the moment they are turned on", () => {
    const mulNode = (t: ReturnType<typeof tensor>) => {
      const wire = JSON.parse(inspector.graphOfScopes(100, { t })) as RawGraphWire;
      return snapshotOf(wire, 1).nodes.find((n): n is FunctionNode => n.kind === "function" && n.name === "MulBackward0")!;
    };
    const x = tensor([1, 2], { requiresGrad: true });
    inspector.configure({ recording: true, forwardLocations: false });
    const before = x.mul(2);
    inspector.configure({ forwardLocations: true });
    const after = x.mul(3);
    expect(mulNode(before).forwardLocation).toBeUndefined();
    expect(mulNode(after).forwardLocation?.path).toContain("backwardDebugSurface.test.ts");
  });
});

describe("the graph wire form", () => {
  it("carries exactly the graph the engine dumped into the snapshot", () => {
    inspector.configure({ recording: true });
    const { w, x, a, loss } = diamond();
    const scope = { w, x, a, loss };
    const raw = inspector.graph(Object.entries(scope).map(([name, value]) => ({ name, value })), 100);
    const wire = JSON.parse(inspector.graphOfScopes(100, scope)) as RawGraphWire;
    expect(wire.format).toBe("gradscope.graphWire/2");
    const snapshot = snapshotOf(wire, 7);
    expect(snapshot.generation).toBe(7);
    expect(snapshot.rootIds).toEqual(raw.rootIds);
    expect(snapshot.nodes.map((n) => [n.kind, n.id, n.name])).toEqual(raw.nodes.map((n) => [n.kind, n.id, n.name ?? "tensor"]));
    expect(snapshot.edges).toEqual(JSON.parse(JSON.stringify(raw.edges)));
    const mul = snapshot.nodes.find((n) => n.name === "MulBackward0")!;
    expect(mul.kind === "function" && mul.forwardLocation?.path).toContain("backwardDebugSurface.test.ts");
    const rawMul = raw.nodes.find((n) => n.name === "MulBackward0")!;
    expect(mul.kind === "function" && mul.forwardLocation).toEqual(
      rawMul.kind === "function" && rawMul.forwardLocation && { path: rawMul.forwardLocation.file, line: rawMul.forwardLocation.line, column: rawMul.forwardLocation.column },
    );
  });

  it("decodes to the graph the engine dumped (module paths, saved edges, a pass's gradients, truncated, empty)", () => {
    inspector.configure({ recording: true });
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Tanh());
    const x = tensor([[1, -1]]);
    const out = model.call(x);
    const { w, a, loss: diamondLoss } = diamond();
    const loss = out.sum().add(diamondLoss);
    const scope = { model, x, out, w, a, loss };
    const wires: RawGraphWire[] = [];
    surface.onBackwardNode = () => {
      if (wires.length < 3) wires.push(JSON.parse(inspector.graphOfScopes(100, scope)) as RawGraphWire);
    };
    inspector.configure({ stepping: true });
    wires.push(JSON.parse(inspector.graphOfScopes(100, scope)) as RawGraphWire);
    loss.backward();
    wires.push(JSON.parse(inspector.graphOfScopes(5, scope)) as RawGraphWire);
    wires.push(JSON.parse(inspector.graphOfScopes(100, {})) as RawGraphWire);
    const during = wires[2]!;
    expect(during.backward.active).toBe(true);
    expect(during.gradOutputs.length).toBeGreaterThan(0);
    expect(wires[0]!.edges.some((_, i) => i % 4 === 2 && wires[0]!.edges[i] === 1)).toBe(true); // a saved edge
    expect(wires.at(-2)!.truncated).toBe(true);
    expect(wires.at(-1)!.nodes).toEqual([]);
    for (const wire of wires) {
      const raw = decodeGraph(wire);
      const snapshot = snapshotOf(wire, 3);
      expect(snapshot.nodes.map((n) => [n.kind, n.id, n.name])).toEqual(raw.nodes.map((n) => [n.kind, n.id, n.name ?? "tensor"]));
      expect(snapshot.edges).toEqual(JSON.parse(JSON.stringify(raw.edges)));
      expect(snapshot.nodes.map((n) => (n.kind === "function" ? [n.modulePath, n.gradOutput] : [n.modulePath, n.grad]))).toEqual(
        raw.nodes.map((n) => (n.kind === "function" ? [n.modulePath ?? undefined, n.gradOutput] : [n.modulePath ?? undefined, n.grad])),
      );
      expect([snapshot.truncated, snapshot.totalNodes, snapshot.backward]).toEqual([raw.truncated, raw.totalNodes, raw.backward]);
      const ids = new Set(snapshot.nodes.map((n) => n.id));
      expect(snapshot.edges.every((e) => ids.has(e.from) && ids.has(e.to))).toBe(true);
      const state = { active: true, currentNodeId: "f1", doneNodeIds: ["f2"], pendingNodeIds: [] };
      expect(snapshotOf(wire, 4, state).backward).toEqual(state);
    }
    const snapshot = snapshotOf(wires[0]!, 3);
    expect(snapshot.nodes.some((n) => n.kind === "function" && n.modulePath === "Sequential.0")).toBe(true);
  });
});

describe("the compact snapshot (the gradscope.graph response body)", () => {
  it("writes each forward location once: the nodes a loop makes share its lines", () => {
    inspector.configure({ recording: true, forwardLocations: true });
    let y = tensor([1, 2], { requiresGrad: true });
    for (let i = 0; i < 50; i++) y = y.mul(1.5).add(1);
    const compact = wireToCompact(JSON.parse(inspector.graphOfScopes(1000, { y })) as RawGraphWire, 1);
    const snapshot = decodeGraphSnapshot(compact);
    expect(snapshot.nodes.filter((n) => n.kind === "function" && /^(Mul|Add)Backward0$/.test(n.name))).toHaveLength(100);
    expect(compact.locations).toHaveLength(2); // the mul and the add of the loop's line
    expect(compact.locations.every((l) => l.path.endsWith("backwardDebugSurface.test.ts"))).toBe(true);
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(snapshot).length / 2);
  });

  it("is refused, saying why, when the body is anything else", () => {
    expect(() => decodeGraphSnapshot({ version: 1, nodes: [], edges: [] })).toThrow(/Not a graph snapshot in gradscope.compactSnapshot\/1 form \(format: none\)/);
    expect(() => decodeGraphSnapshot(undefined)).toThrow(/different versions/);
    const good = wireToCompact(JSON.parse(inspector.graphOfScopes(100, { t: tensor([1], { requiresGrad: true }).mul(2) })) as RawGraphWire, 1);
    expect(decodeGraphSnapshot(good).nodes.length).toBeGreaterThan(0);
    expect(() => decodeGraphSnapshot({ ...good, nodes: [...good.nodes, 1] })).toThrow(/malformed graph snapshot: .* rows are not 4 numbers each/);
    expect(() => decodeGraphSnapshot({ ...good, strings: null })).toThrow(/malformed/);
  });
});

describe("the autogradErrors hook", () => {
  it("is called as the engine raises its errors, not for other errors nor inside the debugger's own calls", () => {
    const raised: Array<{ name: string; isCurrent: boolean }> = [];
    surface.onAutogradError = (error) => raised.push({ name: error.name, isCurrent: inspector.currentError() === error });
    inspector.configure({ recording: true, autogradErrors: true });
    const { w, x, a, loss } = diamond();
    loss.backward();
    // The graph reads the freed saved tensors of the pass: the engine raises and catches a RuntimeError.
    inspector.graphOfScopes(100, { w, x, a, loss });
    try {
      JSON.parse("{");
    } catch {
      // not the engine's
    }
    expect(raised).toEqual([]);
    expect(() => (a.requiresGrad = false)).toThrowError(/leaf/);
    expect(raised).toEqual([{ name: "RuntimeError", isCurrent: true }]);
    expect(inspector.currentError()).toBeNull();
    inspector.configure({ autogradErrors: false });
    expect(() => (a.requiresGrad = false)).toThrowError(/leaf/);
    expect(raised).toHaveLength(1);
  });
});
