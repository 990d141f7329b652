/** Function breakpoints on node types, data breakpoints on a gradient, the nanInf filter, engine warnings. */
import { describe, expect, test } from "vitest";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { closeClientsAfterEach, lineOf } from "./helpers";
import { backwardFixture, children, stepAndWait, topScopeVariables } from "./backwardHelpers";

const newClient = closeClientsAfterEach();


const diamond = backwardFixture("diamond.ts");

describe("breakpoints in backward", () => {
  test("initialize declares step back, function and data breakpoints and the nanInf filter", async () => {
    const c = newClient();
    const init = await c.request<DebugProtocol.InitializeResponse>("initialize", { adapterID: "gradscope", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
    expect(init.body).toMatchObject({ supportsStepBack: true, supportsFunctionBreakpoints: true, supportsDataBreakpoints: true });
    expect(init.body!.exceptionBreakpointFilters!.map((f) => f.filter)).toContain("nanInf");
  });

  test("a function breakpoint on MulBackward0 stops at that node without Step Into", async () => {
    const c = newClient();
    let set!: DebugProtocol.SetFunctionBreakpointsResponse;
    const { launch } = await c.start({ program: diamond }, {}, [], async () => {
      set = await c.request<DebugProtocol.SetFunctionBreakpointsResponse>("setFunctionBreakpoints", {
        breakpoints: [{ name: "MulBackward0" }, { name: "train" }],
      });
    });
    expect(set.body.breakpoints.map((b) => b.verified)).toEqual([true, false]);
    expect(set.body.breakpoints[1]!.message).toMatch(/not a backward node type/);
    await launch;

    const stopped = await c.waitForStop();
    expect(stopped.body.reason).toBe("function breakpoint");
    expect(stopped.body.hitBreakpointIds).toEqual([set.body.breakpoints[0]!.id]);
    const frames = await c.stackTrace();
    expect(frames[0]).toMatchObject({ name: "MulBackward0", line: lineOf(diamond, "a") });
    expect(frames[1]!.line).toBe(lineOf(diamond, "backward"));
    // gradOutput arrived along both paths of the diamond (exp and tanh).
    expect((await topScopeVariables(c)).get("gradOutput")!.value).toMatch(/grad|Tensor\[2\]/);
    await c.request("continue", { threadId: 1 });
    await c.waitForEvent("terminated");
    expect(c.outputText("stdout")).toContain("grad");
  });

  test("function breakpoints work in an ES module program too (engine.mjs)", async () => {
    const program = backwardFixture("esm/main.ts");
    const c = newClient();
    const { launch } = await c.start({ program }, {}, [], async () => {
      await c.request("setFunctionBreakpoints", { breakpoints: [{ name: "MulBackward0" }] });
    });
    await launch;
    const stopped = await c.waitForStop();
    expect(stopped.body.reason).toBe("function breakpoint");
    expect(await c.topFrame()).toMatchObject({ name: "MulBackward0", line: lineOf(program, "mul") });
    await c.request("continue", { threadId: 1 });
    await c.waitForEvent("terminated");
    expect(c.outputText("stdout")).toContain("esm done [ 3, 3 ]");
  });

  test("a data breakpoint on w.grad stops at the AccumulateGrad that writes it, then at the user's assignment", async () => {
    const program = backwardFixture("userGradWrite.ts");
    const c = newClient();
    await c.start({ program }, { [program]: [lineOf(program, "backward")] });
    await c.waitForStop();
    const locals = await c.scopeVariables();
    const w = locals.find((v) => v.name === "w")!;
    const grad = (await children(c, w)).get("grad")!;
    expect(grad.value).toMatch(/∅/);
    const scopes = await c.request<DebugProtocol.ScopesResponse>("scopes", { frameId: (await c.topFrame()).id });
    const wRef = (await c.variables(scopes.body.scopes[0]!.variablesReference)).find((v) => v.name === "w")!.variablesReference;
    const info = await c.request<DebugProtocol.DataBreakpointInfoResponse>("dataBreakpointInfo", { variablesReference: wRef, name: "grad" });
    expect(info.body.dataId).toMatch(/^grad:\d+$/);
    expect(info.body.description).toBe("w.grad");
    const set = await c.request<DebugProtocol.SetDataBreakpointsResponse>("setDataBreakpoints", { breakpoints: [{ dataId: info.body.dataId, accessType: "write" }] });
    expect(set.body.breakpoints[0]!.verified).toBe(true);

    const inBackward = await stepAndWait(c, "continue");
    expect(inBackward.body.reason).toBe("data breakpoint");
    expect(inBackward.body.description).toMatch(/w\.grad written by AccumulateGrad/);
    expect(inBackward.body.hitBreakpointIds).toEqual([set.body.breakpoints[0]!.id]);
    const frames = await c.stackTrace();
    expect(frames[0]).toMatchObject({ name: "AccumulateGrad", line: lineOf(program, "forward") });
    expect((await topScopeVariables(c)).get("w")!.value).toMatch(/grad ✓/);

    const byUser = await stepAndWait(c, "continue");
    expect(byUser.body.reason).toBe("data breakpoint");
    expect(byUser.body.description).toMatch(/w\.grad assigned/);
    const top = await c.topFrame();
    expect(top).toMatchObject({ line: lineOf(program, "assign") });
    expect(top.source?.path).toBe(program);
    await c.request("continue", { threadId: 1 });
    await c.waitForEvent("terminated");
  });

  test("nanInf stops at the node that first produced an infinity: log(0)'s, at its forward line, naming input and element", async () => {
    const program = backwardFixture("nanInf.ts");
    const c = newClient();
    await c.start({ program }, {}, ["nanInf"]);
    const stopped = await c.waitForStop();
    expect(stopped.body.reason).toBe("exception");
    expect(stopped.body.text).toMatch(/Infinity in the gradient LogBackward0 sends to 'y' \(input 0\), element \[1\]/);
    const top = await c.topFrame();
    expect(top).toMatchObject({ name: "LogBackward0", line: lineOf(program, "log") });
    const info = await c.request<DebugProtocol.ExceptionInfoResponse>("exceptionInfo", { threadId: 1 });
    expect(info.body.exceptionId).toBe("nanInf");
    expect(info.body.description).toMatch(/element \[1\]/);
    const sent = await children(c, (await topScopeVariables(c)).get("gradInputs"));
    expect(sent.get("y")!.value).toMatch(/^Tensor\[3\] float32/);
    await c.request("continue", { threadId: 1 });
    await c.waitForEvent("terminated");
  });

  test("without the nanInf filter the same program runs to the end", async () => {
    const program = backwardFixture("nanInf.ts");
    const c = newClient();
    await c.start({ program }, {}, []);
    await c.waitForEvent("terminated");
    expect(c.outputText("stdout")).toContain("done");
  });

  test("engine warnings arrive as output events at the user's source line", async () => {
    const program = backwardFixture("warnings.ts");
    const c = newClient();
    await c.start({ program });
    const warning = await c.waitForEvent<DebugProtocol.OutputEvent>("output", (e) => Boolean((e.body.data as { gradscopeWarning?: boolean } | undefined)?.gradscopeWarning));
    expect(warning.body.source?.path).toBe(program);
    expect(warning.body.line).toBe(lineOf(program, "nonleaf-grad"));
    expect(warning.body.column).toBeGreaterThan(0);
    expect(warning.body.output).toMatch(/UserWarning: The \.grad attribute of a Tensor that is not a leaf Tensor is being accessed/);
    await c.waitForEvent("terminated");
    // Said once, by the adapter: the engine's own stderr print is off under the debugger.
    expect(c.outputText().match(/The \.grad attribute of a Tensor that is not a leaf/g)).toHaveLength(1);
  });
});
