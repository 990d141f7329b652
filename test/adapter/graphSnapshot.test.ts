/** The `gradscope.graph` request and the `gradscope.graphChanged` event, on a small MLP. */
import { describe, expect, test } from "vitest";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { DapClient } from "./dapClient";
import { closeClientsAfterEach, lineOf } from "./helpers";
import { backwardFixture, stepAndWait } from "./backwardHelpers";
import { decodeGraphSnapshot } from "../../src/protocol/compactSnapshot";
import { GRAPH_CHANGED_EVENT, GRAPH_REQUEST, type FunctionNode, type GraphChangedEventBody, type GraphSnapshot, type TensorNode } from "../../src/protocol/graphSnapshot";

const newClient = closeClientsAfterEach();

const mlp = backwardFixture("mlp.ts");

async function graph(c: DapClient, args: Record<string, unknown> = {}): Promise<GraphSnapshot> {
  return decodeGraphSnapshot((await c.request(GRAPH_REQUEST, args)).body);
}

async function pausedOn(mark: string): Promise<DapClient> {
  const client = newClient();
  await client.start({ program: mlp }, { [mlp]: [lineOf(mlp, mark)] });
  await client.waitForStop();
  return client;
}

describe("graph snapshot", () => {
  test("without breakpoints forward lines are recorded from the first stop on (a run with nothing to stop at pays nothing for them)", async () => {
    const program = backwardFixture("forwardLinesFromFirstStop.ts");
    const c = newClient();
    await c.start({ program });
    await c.waitForStop();
    expect((await c.topFrame()).line).toBe(lineOf(program, "first-stop"));
    await c.request("continue", { threadId: 1 });
    await c.waitForStop();
    expect((await c.topFrame()).line).toBe(lineOf(program, "second-stop"));
    const mulOf = async (expression: string) =>
      (await graph(c, { expression })).nodes.find((n): n is FunctionNode => n.kind === "function" && n.name === "MulBackward0")!;
    expect((await mulOf("early")).forwardLocation).toBeUndefined();
    expect((await mulOf("late")).forwardLocation).toMatchObject({ path: program, line: lineOf(program, "late") });
  });

  test("the tensors and modules in scope, named as the user named them, with functions, edges and forward lines", async () => {
    const c = await pausedOn("backward");
    const changed = await c.waitForEvent<DebugProtocol.Event>(GRAPH_CHANGED_EVENT);
    expect((changed.body as GraphChangedEventBody).reason).toBe("stopped");
    const snapshot = await graph(c);
    expect(snapshot.version).toBe(1);
    expect(snapshot.truncated).toBe(false);
    const tensors = snapshot.nodes.filter((n): n is TensorNode => n.kind === "tensor");
    const byName = new Map(tensors.map((t) => [t.name, t]));
    for (const name of ["model.0.weight", "model.0.bias", "model.2.weight", "model.2.bias"]) {
      expect(byName.get(name)).toMatchObject({ role: "parameter", isLeaf: true, requiresGrad: true, grad: null });
    }
    expect(byName.get("model.0.weight")!.shape).toEqual([4, 3]);
    expect(byName.get("model.0.weight")!.modulePath).toBe("0.weight");
    expect(byName.get("loss")).toMatchObject({ role: "output", isLeaf: false, shape: [] });
    expect(byName.get("logits")).toMatchObject({ role: "intermediate", shape: [5, 2] });
    expect(byName.get("inputs")).toMatchObject({ role: "constant", requiresGrad: false });

    const functions = snapshot.nodes.filter((n): n is FunctionNode => n.kind === "function");
    const names = functions.map((f) => f.name);
    expect(names).toContain("AccumulateGrad");
    expect(names).toContain("ReluBackward0");
    // Every function the user's forward created points at a line of the program.
    for (const fn of functions) {
      expect(fn.forwardLocation?.path).toBe(mlp);
      expect([lineOf(mlp, "logits"), lineOf(mlp, "loss")]).toContain(fn.forwardLocation!.line);
    }
    const relu = functions.find((f) => f.name === "ReluBackward0")!;
    expect(relu.forwardLocation!.line).toBe(lineOf(mlp, "logits"));
    expect(relu.modulePath).toMatch(/(^|\.)1$/);

    // Edges follow the gradient: loss -> its gradFn -> … -> AccumulateGrad -> parameter.
    const ids = new Set(snapshot.nodes.map((n) => n.id));
    expect(snapshot.edges.every((e) => ids.has(e.from) && ids.has(e.to))).toBe(true);
    const lossNode = byName.get("loss")!;
    expect(snapshot.edges.some((e) => e.from === lossNode.id && e.kind === "next")).toBe(true);
    const weight = byName.get("model.0.weight")!;
    const intoWeight = snapshot.edges.find((e) => e.to === weight.id)!;
    expect(functions.find((f) => f.id === intoWeight.from)!.name).toBe("AccumulateGrad");
    expect(snapshot.backward).toEqual({ active: false, currentNodeId: null, doneNodeIds: [], pendingNodeIds: [] });
  });

  test("during a stepped pass: the current node, done and pending, and a graphChanged per step; grads after", async () => {
    const c = await pausedOn("backward");
    await c.waitForEvent(GRAPH_CHANGED_EVENT);
    await stepAndWait(c, "stepIn");
    const first = await c.waitForEvent<DebugProtocol.Event>(GRAPH_CHANGED_EVENT);
    expect((first.body as GraphChangedEventBody).reason).toBe("backwardStep");
    await stepAndWait(c, "next");
    const second = await c.waitForEvent<DebugProtocol.Event>(GRAPH_CHANGED_EVENT, (e) => (e.body as GraphChangedEventBody).reason === "backwardStep");
    expect((second.body as GraphChangedEventBody).generation).toBeGreaterThan((first.body as GraphChangedEventBody).generation);

    const during = await graph(c);
    expect(during.backward.active).toBe(true);
    expect(during.backward.doneNodeIds).toHaveLength(2);
    expect(during.backward.currentNodeId).toBe(during.backward.doneNodeIds[1]);
    expect(during.backward.pendingNodeIds.length).toBeGreaterThan(0);
    const current = during.nodes.find((n) => n.id === during.backward.currentNodeId) as FunctionNode;
    expect(current.kind).toBe("function");
    expect(current.gradOutput).toBeTruthy();
    // The user's names still apply: the scope is that of the frame that called backward().
    expect(during.nodes.some((n) => n.kind === "tensor" && n.name === "model.0.weight")).toBe(true);

    await stepAndWait(c, "stepOut");
    const after = await graph(c);
    expect(after.backward.active).toBe(false);
    const weight = after.nodes.find((n) => n.kind === "tensor" && n.name === "model.0.weight") as TensorNode;
    expect(weight.grad!.norm).toBeGreaterThan(0);
  });

  test("while the program runs, a request gets the last paused graph with the current backward state", async () => {
    const program = backwardFixture("keepsRunning.ts");
    const c = newClient();
    await c.start({ program }, { [program]: [lineOf(program, "built")] });
    await c.waitForStop();
    const paused = await graph(c);
    expect(paused.nodes.some((n) => n.kind === "tensor" && n.name === "loss")).toBe(true);
    await c.request("continue", { threadId: 1 });
    await c.waitForEvent<DebugProtocol.Event>(GRAPH_CHANGED_EVENT, (e) => (e.body as GraphChangedEventBody).reason === "continued");
    const running = await graph(c);
    expect(running.nodes.map((n) => n.id)).toEqual(paused.nodes.map((n) => n.id));
    expect(running.generation).toBeGreaterThan(paused.generation);
    expect(running.backward.active).toBe(false);
  });

  test("forward lines: a node made in the engine's modules is at the user's call, in a user-defined module at its forward's line, in a hook at the hook", async () => {
    const program = backwardFixture("userModules.ts");
    const client = newClient();
    await client.start({ program }, { [program]: [lineOf(program, "after")] });
    await client.waitForStop();
    const functions = (await graph(client)).nodes.filter((n): n is FunctionNode => n.kind === "function");
    const lineOfNode = (name: string, modulePath: RegExp) => {
      const fn = functions.find((f) => f.name === name && modulePath.test(f.modulePath ?? ""));
      expect(fn, `${name} in ${modulePath}`).toBeDefined();
      expect(fn!.forwardLocation?.path).toBe(program);
      return fn!.forwardLocation!.line;
    };
    // nn.Linear inside the user's Block: the line in Block.forward that called it.
    expect(lineOfNode("AddmmBackward0", /(^|\.)0\.fc$/)).toBe(lineOf(program, "block-fc"));
    expect(lineOfNode("TBackward0", /(^|\.)0\.fc$/)).toBe(lineOf(program, "block-fc"));
    // An op in Block.forward itself.
    expect(lineOfNode("TanhBackward0", /(^|\.)0$/)).toBe(lineOf(program, "block-tanh"));
    // The engine's modules called by the engine's Sequential: the user's model.call line.
    expect(lineOfNode("ReluBackward0", /(^|\.)1$/)).toBe(lineOf(program, "logits"));
    expect(lineOfNode("AddmmBackward0", /(^|\.)2$/)).toBe(lineOf(program, "logits"));
    // A forward hook is user code: its op is at the hook, the layer's own op at the call
    // (a module called at top level has a one-segment path, its class name).
    expect(lineOfNode("MulBackward0", /^[^.]+$/)).toBe(lineOf(program, "hook"));
    expect(lineOfNode("AddmmBackward0", /^[^.]+$/)).toBe(lineOf(program, "hooked"));
    expect(lineOfNode("SumBackward0", /^$/)).toBe(lineOf(program, "loss"));
  });

  test("an expression roots the graph; the limit truncates it and says how large it was", async () => {
    const c = await pausedOn("backward");
    const rooted = await graph(c, { expression: "logits" });
    expect(rooted.rootIds).toHaveLength(1);
    expect(rooted.nodes.find((n) => n.id === rooted.rootIds[0])).toMatchObject({ kind: "tensor", name: "logits" });
    expect(rooted.nodes.some((n) => n.kind === "tensor" && n.name === "loss")).toBe(false);

    const small = await graph(c, { limit: 5 });
    expect(small.nodes).toHaveLength(5);
    expect(small.truncated).toBe(true);
    expect(small.totalNodes).toBeGreaterThan(5);

    const bad = await c.send(GRAPH_REQUEST, { expression: "notDefinedAnywhere" });
    expect(bad.success).toBe(false);
  });
});
