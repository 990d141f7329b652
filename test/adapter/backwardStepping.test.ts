/** Stepping through a backward pass node by node: order, synthetic frames, step out, step back. */
import { describe, expect, test } from "vitest";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { DapClient, isAlive } from "./dapClient";
import { closeClientsAfterEach, eventually, lineOf } from "./helpers";
import { backwardFixture, children, stepAndWait, topScopeVariables } from "./backwardHelpers";

const newClient = closeClientsAfterEach();

const diamond = backwardFixture("diamond.ts");

async function pausedOnBackward(): Promise<DapClient> {
  const client = newClient();
  await client.start({ program: diamond }, { [diamond]: [lineOf(diamond, "backward")] });
  await client.waitForStop();
  expect((await client.topFrame()).line).toBe(lineOf(diamond, "backward"));
  return client;
}

/** Paused on the backward line, then Step Into the pass and `nexts` steps over its nodes. */
async function pausedAtNode(nexts: number): Promise<DapClient> {
  const c = await pausedOnBackward();
  await stepAndWait(c, "stepIn");
  for (let i = 0; i < nexts; i++) await stepAndWait(c, "next");
  return c;
}

describe("backward stepping", () => {
  test("Step Into enters the pass: one stop per node in engine order, each at its forward line", async () => {
    const c = await pausedOnBackward();
    const seen: Array<[string, number | undefined]> = [];
    let stopped = await stepAndWait(c, "stepIn");
    for (let i = 0; i < 6; i++) {
      expect(stopped.body.reason).toBe("step");
      const frames = await c.stackTrace();
      seen.push([frames[0]!.name, frames[0]!.line]);
      // Below the node: the user's frame that called backward(), engine frames hidden.
      expect(frames[1]!.line).toBe(lineOf(diamond, "backward"));
      expect(frames.every((f) => !/engine\.(c|m)js$/.test(f.source?.path ?? ""))).toBe(true);
      stopped = await stepAndWait(c, "next");
    }
    // Ready nodes run highest sequence number first: tanh (created after exp) before exp.
    expect(seen).toEqual([
      ["SumBackward0", lineOf(diamond, "loss")],
      ["AddBackward0", lineOf(diamond, "d")],
      ["TanhBackward0", lineOf(diamond, "c")],
      ["ExpBackward0", lineOf(diamond, "b")],
      ["MulBackward0", lineOf(diamond, "a")],
      ["AccumulateGrad", lineOf(diamond, "a")],
    ]);
    // After the last node the pass ends and the user is back on their own code.
    expect(stopped.body.reason).toBe("step");
    const top = await c.topFrame();
    expect(top.source?.path).toBe(diamond);
    expect(top.line).toBe(lineOf(diamond, "after"));
  });

  test("the node frame shows gradOutput, gradInputs named after the inputs, the inputs and saved tensors", async () => {
    const c = await pausedAtNode(4);
    expect((await c.topFrame()).name).toBe("MulBackward0");
    const vars = await topScopeVariables(c);
    expect([...vars.keys()]).toEqual(["gradOutput", "gradInputs", "w", "saved"]);
    expect(vars.get("gradOutput")!.value).toMatch(/^Tensor\[2\] float32/);
    const sent = await children(c, vars.get("gradInputs"));
    expect([...sent.keys()]).toEqual(["w", "input1"]);
    expect(sent.get("w")!.value).toMatch(/^Tensor\[2\]/);
    expect(sent.get("input1")!.value).toBe("null");
    // w's grad is not written yet: AccumulateGrad comes next.
    expect(vars.get("w")!.value).toMatch(/leaf · requiresGrad · grad ∅/);
    const saved = await children(c, vars.get("saved"));
    expect([...saved.keys()]).toEqual(["w", "x"]);
  });

  test("Step Out finishes the pass and stops on the line after backward()", async () => {
    const c = await pausedAtNode(1);
    expect((await c.topFrame()).name).toBe("AddBackward0");
    const stopped = await stepAndWait(c, "stepOut");
    expect(stopped.body.reason).toBe("step");
    const top = await c.topFrame();
    expect(top.source?.path).toBe(diamond);
    expect(top.line).toBe(lineOf(diamond, "after"));
    // The pass ran to the end: w has its gradient.
    expect((await c.evaluate("w", "watch")).result).toMatch(/grad ✓/);
  });

  test("Step Back shows earlier nodes with the gradients as they were; stepping forward replays until live", async () => {
    const c = await pausedAtNode(5);
    expect((await c.topFrame()).name).toBe("AccumulateGrad");
    const live = await topScopeVariables(c);
    expect(live.get("w")!.value).toMatch(/grad ✓/);

    await stepAndWait(c, "stepBack");
    expect((await c.topFrame()).name).toMatch(/^MulBackward0/);
    const before = await topScopeVariables(c);
    // At MulBackward0 w had no gradient yet; the replayed frame says so.
    expect(before.get("w")!.value).toMatch(/grad ∅/);

    await stepAndWait(c, "reverseContinue");
    expect((await c.topFrame()).name).toMatch(/^SumBackward0/);

    await stepAndWait(c, "next");
    expect((await c.topFrame()).name).toMatch(/^AddBackward0/);
    await stepAndWait(c, "stepIn");
    await stepAndWait(c, "next");
    await stepAndWait(c, "next");
    await stepAndWait(c, "next");
    const again = await c.topFrame();
    expect(again.name).toBe("AccumulateGrad");
    expect((await topScopeVariables(c)).get("w")!.value).toMatch(/grad ✓/);
    // Live again: the next step leaves the pass.
    await stepAndWait(c, "next");
    expect((await c.topFrame()).line).toBe(lineOf(diamond, "after"));
  });

  test("Step Into on an autograd.grad() line steps its nodes too, then returns to the line after", async () => {
    const program = backwardFixture("autogradGrad.ts");
    const c = newClient();
    await c.start({ program }, { [program]: [lineOf(program, "grad")] });
    await c.waitForStop();
    const names: Array<[string, number]> = [];
    await stepAndWait(c, "stepIn");
    for (let top = await c.topFrame(); top.source?.path !== program || /Backward/.test(top.name); top = await c.topFrame()) {
      names.push([top.name, top.line]);
      await stepAndWait(c, "next");
    }
    expect(names).toEqual([
      ["SumBackward0", lineOf(program, "sum")],
      ["MulBackward0", lineOf(program, "square")],
    ]);
    expect((await c.topFrame()).line).toBe(lineOf(program, "after"));
  });

  test("disconnecting while paused at a node ends the debuggee and the adapter", async () => {
    const c = newClient();
    const processEvent = c.waitForEvent<DebugProtocol.ProcessEvent>("process");
    await c.start({ program: diamond }, { [diamond]: [lineOf(diamond, "backward")] });
    const pid = (await processEvent).body.systemProcessId!;
    await c.waitForStop();
    await stepAndWait(c, "stepIn");
    expect((await c.topFrame()).name).toBe("SumBackward0");
    await c.close();
    expect(await eventually(() => !isAlive(pid))).toBe(true);
    expect(c.process.exitCode !== null || c.process.signalCode !== null).toBe(true);
  });

  test("Step Over on the backward() line runs the pass without stopping in it", async () => {
    const c = await pausedOnBackward();
    await stepAndWait(c, "next");
    const top = await c.topFrame();
    expect(top.line).toBe(lineOf(diamond, "after"));
  });
});
