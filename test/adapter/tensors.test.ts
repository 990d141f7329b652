/**
 * Tensor presentation through the engine's inspection surface: the value text, the fixed
 * children, grad before/after backward, paging a 10M-element tensor, nn.Module
 * parameters, hover, setVariable, and the autogradErrors exception filter.
 */
import { describe, expect, test } from "vitest";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { byName, closeClientsAfterEach, fixture, lineOf, pausedAtMark } from "./helpers";

const newClient = closeClientsAfterEach();

const program = fixture("tensors.ts");

const pausedAt = (mark: string, extra: Record<string, unknown> = {}) => pausedAtMark(newClient(), { program, ...extra }, program, mark);

describe("tensor variables", () => {
  test("w reads as a leaf that requires grad, with an empty grad before backward()", async () => {
    const c = await pausedAt("before-backward");
    const locals = await c.scopeVariables();
    const w = byName(locals, "w");
    expect(w.value).toBe("Tensor[2, 3] float32 · leaf · requiresGrad · grad ∅");
    expect(w.variablesReference).toBeGreaterThan(0);

    const children = await c.variables(w.variablesReference);
    expect(children.map((v) => v.name)).toEqual(["requiresGrad", "isLeaf", "grad", "gradFn", "shape", "dtype", "data"]);
    expect(byName(children, "requiresGrad").value).toBe("true");
    expect(byName(children, "isLeaf").value).toBe("true");
    expect(byName(children, "grad").value).toMatch(/^∅/);
    expect(byName(children, "grad").variablesReference).toBe(0);
    expect(byName(children, "gradFn").value).toBe("null");
    expect(byName(children, "shape").value).toBe("[2, 3]");
    expect(byName(children, "dtype").value).toBe('"float32"');
    expect(byName(children, "data").value).toBe("[1, 2, 3, 4, 5, 6]");
    const data = await c.variables(byName(children, "data").variablesReference, { filter: "indexed", start: 3, count: 2 });
    expect(data.map((v) => [v.name, v.value])).toEqual([
      ["[1, 0]", "4"],
      ["[1, 1]", "5"],
    ]);
  });

  test("a non-leaf: gradFn expands to its name and nextFunctions; grad explains retainGrad()", async () => {
    const c = await pausedAt("before-backward");
    const y = byName(await c.scopeVariables(), "y");
    expect(y.value).toContain("MmBackward0".slice(0, 2)); // the node's name appears in the summary
    const children = await c.variables(y.variablesReference);
    expect(byName(children, "isLeaf").value).toBe("false");
    const grad = byName(children, "grad");
    expect(grad.value).toMatch(/retainGrad\(\)/);
    const gradFn = byName(children, "gradFn");
    expect(gradFn.value).toMatch(/Backward/);
    const node = await c.variables(gradFn.variablesReference);
    expect(node.map((v) => v.name)).toEqual(["name", "nextFunctions"]);
    expect(byName(node, "name").value).toBe(JSON.stringify(gradFn.value));
    expect(byName(node, "nextFunctions").value).toContain("AccumulateGrad");
    const next = await c.variables(byName(node, "nextFunctions").variablesReference);
    expect(next.some((v) => v.value === "AccumulateGrad")).toBe(true);
  });

  test("grad is filled after backward()", async () => {
    const c = await pausedAt("before-backward");
    await c.step("next");
    const top = await c.step("next");
    expect(top.line).toBe(lineOf(program, "after-backward"));
    const w = byName(await c.scopeVariables(), "w");
    expect(w.value).toMatch(/^Tensor\[2, 3\] float32 · leaf · requiresGrad · grad ✓ ‖g‖=/);
    const grad = byName(await c.variables(w.variablesReference), "grad");
    expect(grad.variablesReference).toBeGreaterThan(0);
    const gradChildren = await c.variables(grad.variablesReference);
    expect(byName(gradChildren, "data").value).toBe("[0.5, 1, 2, 0.5, 1, 2]");
  });

  test("a 10-million-element tensor expands instantly and returns only the requested page", async () => {
    const c = await pausedAt("before-backward");
    const big = byName(await c.scopeVariables(), "big");
    const data = byName(await c.variables(big.variablesReference), "data");
    expect(data.indexedVariables).toBe(10_000_000);
    const page = await c.variables(data.variablesReference, { filter: "indexed", start: 9_999_990, count: 5 });
    expect(page.map((v) => v.name)).toEqual(["[9999990]", "[9999991]", "[9999992]", "[9999993]", "[9999994]"]);
    expect(page.every((v) => v.value === "0")).toBe(true);
  });

  test("an nn.Module shows its parameters with grad status and marks frozen ones", async () => {
    const c = await pausedAt("before-backward");
    const model = byName(await c.scopeVariables(), "model");
    expect(model.value).toMatch(/Linear/);
    const children = await c.variables(model.variablesReference);
    const weight = byName(children, "weight");
    const bias = byName(children, "bias");
    expect(weight.value).toMatch(/requiresGrad/);
    expect(weight.value).not.toMatch(/frozen/);
    expect(bias.value).toMatch(/frozen/);
    const weightChildren = await c.variables(weight.variablesReference);
    expect(byName(weightChildren, "shape").value).toBe("[2, 3]");
  });

  test("hover gives the same summary, with no side effects", async () => {
    const c = await pausedAt("before-backward");
    const top = await c.topFrame();
    const hover = await c.evaluate("w", "hover", top.id);
    expect(hover.result).toBe("Tensor[2, 3] float32 · leaf · requiresGrad · grad ∅");
    expect(hover.variablesReference).toBeGreaterThan(0);
    // a hover that would change state is refused, and nothing changes
    await expect(c.evaluate("w.requiresGrad = false", "hover", top.id)).rejects.toThrow();
    expect((await c.evaluate("w.requiresGrad", "repl", top.id)).result).toBe("true");
    await expect(c.evaluate("w.mul_(2)", "hover", top.id)).rejects.toThrow();
    expect((await c.evaluate("w.tolist()[0][0]", "repl", top.id)).result).toBe("1");
  });

  test("setVariable on a tensor's requiresGrad, and the engine's error for a non-leaf", async () => {
    const c = await pausedAt("before-backward");
    const locals = await c.scopeVariables();
    const x = byName(locals, "x");
    const set = await c.request<DebugProtocol.SetVariableResponse>("setVariable", { variablesReference: x.variablesReference, name: "requiresGrad", value: "true" });
    expect(set.body.value).toBe("true");
    expect((await c.evaluate("x.requiresGrad")).result).toBe("true");
    const y = byName(await c.scopeVariables(), "y");
    const refused = await c.send("setVariable", { variablesReference: y.variablesReference, name: "requiresGrad", value: "false" });
    expect(refused.success).toBe(false);
    expect(refused.body?.error?.format ?? refused.message).toMatch(/RuntimeError.*leaf/);
  });
});

describe("autogradErrors", () => {
  test("stops at the user's line that sets requiresGrad on a non-leaf, with PyTorch's message", async () => {
    const client = newClient();
    const file = fixture("nonLeafError.ts");
    await client.start({ program: file }, {}, ["autogradErrors"]);
    const stopped = await client.waitForStop();
    expect(stopped.body.reason).toBe("exception");
    expect(stopped.body.text).toMatch(/RuntimeError: you can only change requires_?[gG]rad flags of leaf variables/);
    const frames = await client.stackTrace();
    expect(frames[0]).toMatchObject({ name: "makeFrozen", line: lineOf(file, "set-nonleaf"), source: { path: file } });
    expect(frames.every((f) => !f.source?.path?.includes("/engine"))).toBe(true);
    const info = await client.request<DebugProtocol.ExceptionInfoResponse>("exceptionInfo", { threadId: 1 });
    expect(info.body.exceptionId).toBe("RuntimeError");
    expect(info.body.description).toMatch(/detach\(\)/);
  });

  test("also when the user catches it; plain user exceptions don't stop", async () => {
    const client = newClient();
    const file = fixture("caughtAutogradError.ts");
    await client.start({ program: file }, {}, ["autogradErrors"]);
    await client.waitForStop();
    expect((await client.topFrame()).line).toBe(lineOf(file, "caught-nonleaf"));
    await client.request("continue", { threadId: 1 });
    await client.waitForEvent("terminated");
    expect(client.outputText("stdout")).toContain("caught: RuntimeError");
    await client.close();

    const plain = newClient();
    await plain.start({ program: fixture("caught.ts") }, {}, ["autogradErrors"]);
    await plain.waitForEvent("terminated");
    expect(plain.outputText("stdout")).toContain("handled caught one");
  });

  test("the program's own caught exceptions never pause it (the engine stops for its errors itself)", async () => {
    const client = newClient();
    await client.start({ program: fixture("caughtMany.ts") }, {}, ["autogradErrors"]);
    await client.waitForEvent("terminated");
    const [, ms] = /caught 500 in (\d+) ms/.exec(client.outputText("stdout")) ?? [];
    // Pausing at each of them costs a round trip to the adapter (~40 ms each, 20 s in all).
    expect(Number(ms)).toBeLessThan(5000);
    await expect(client.waitForEvent("stopped", () => true, 100)).rejects.toThrow(/timed out/);
  });

  test("an engine error stops once where it is raised, also with 'uncaught' and 'all' on", async () => {
    for (const [name, filters] of [
      ["nonLeafError.ts", ["autogradErrors", "uncaught"]],
      ["caughtAutogradError.ts", ["autogradErrors", "all"]],
    ] as const) {
      const client = newClient();
      await client.start({ program: fixture(name) }, {}, [...filters]);
      const stopped = await client.waitForStop();
      expect(stopped.body.text).toMatch(/^RuntimeError: /);
      await client.request("continue", { threadId: 1 });
      await client.waitForEvent("terminated");
      await expect(client.waitForEvent("stopped", () => true, 100)).rejects.toThrow(/timed out/);
    }
  });

  test("engine frames appear only with stepIntoEngine", async () => {
    const client = newClient();
    const file = fixture("nonLeafError.ts");
    await client.start({ program: file, stepIntoEngine: true }, {}, ["autogradErrors"]);
    await client.waitForStop();
    const frames = await client.stackTrace();
    expect(frames[0]!.source?.path).toMatch(/engine\/.*\.ts$/);
    expect(frames.some((f) => f.line === lineOf(file, "set-nonleaf") && f.source?.path === file)).toBe(true);
  });
});
