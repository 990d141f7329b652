/** Breakpoints through source maps, conditions/hit counts/logpoints, and stepping. */
import { describe, expect, test } from "vitest";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { closeClientsAfterEach, fixture, lineOf } from "./helpers";

const newClient = closeClientsAfterEach();


const basics = fixture("basics.ts");
const helper = fixture("helper.ts");

describe("breakpoints", () => {
  test("bind before the first line runs and hit at the right TS lines, also in imported files", async () => {
    const c = newClient();
    const first = lineOf(basics, "first-statement");
    const { breakpoints } = await c.start(
      { program: basics },
      { [basics]: [first, lineOf(basics, "add-body")], [helper]: [lineOf(helper, "helper-scale")] },
    );
    expect(breakpoints[basics]!.map((b) => [b.verified, b.line])).toEqual([
      [true, first],
      [true, lineOf(basics, "add-body")],
    ]);
    expect(breakpoints[helper]![0]).toMatchObject({ verified: true, line: lineOf(helper, "helper-scale") });

    const hits: Array<[string, number]> = [];
    for (let i = 0; i < 3; i++) {
      const stopped = await c.waitForStop();
      expect(stopped.body.reason).toBe("breakpoint");
      const top = await c.topFrame();
      hits.push([top.source!.path!, top.line]);
      await c.request("continue", { threadId: 1 });
    }
    expect(hits).toEqual([
      [basics, first],
      [basics, lineOf(basics, "add-body")],
      [helper, lineOf(helper, "helper-scale")],
    ]);
    await c.waitForEvent("terminated");
  });

  test("a breakpoint on a line without code moves to the next line with code", async () => {
    const c = newClient();
    const blank = lineOf(basics, "add-body") - 2; // the blank line above `function add`
    const { breakpoints } = await c.start({ program: basics }, { [basics]: [blank] });
    expect(breakpoints[basics]![0]!.verified).toBe(true);
    expect(breakpoints[basics]![0]!.line).toBeGreaterThan(blank);
  });

  test("a file the program doesn't import reports an unverified breakpoint with a reason", async () => {
    const c = newClient();
    const other = fixture("throws.ts");
    const { breakpoints } = await c.start({ program: basics }, { [other]: [2] });
    expect(breakpoints[other]![0]!.verified).toBe(false);
    expect(breakpoints[other]![0]!.message).toMatch(/not part of the program/);
  });

  test("conditions", async () => {
    const c = newClient();
    await c.start({ program: basics }, { [basics]: [{ line: lineOf(basics, "loop-body"), condition: "i === 3" }] });
    await c.waitForStop();
    expect((await c.evaluate("i")).result).toBe("3");
    await c.request("continue", { threadId: 1 });
    await c.waitForEvent("terminated");
  });

  test("hit counts", async () => {
    const c = newClient();
    await c.start({ program: basics }, { [basics]: [{ line: lineOf(basics, "loop-body"), hitCondition: "==4" }] });
    await c.waitForStop();
    expect((await c.evaluate("i")).result).toBe("3");
    await c.request("continue", { threadId: 1 });
    await c.waitForEvent("terminated");
  });

  test("logpoints log and don't stop", async () => {
    const c = newClient();
    await c.start({ program: basics }, { [basics]: [{ line: lineOf(basics, "loop-body"), logMessage: "i is {i}, `quoted`" }] });
    await c.waitForEvent("terminated");
    const out = c.outputText("stdout");
    for (let i = 0; i < 5; i++) expect(out).toContain(`i is ${i}, \`quoted\``);
    expect(out.indexOf("i is 4")).toBeLessThan(out.indexOf("total=5"));
  });

  test("breakpoints can be changed while paused", async () => {
    const c = newClient();
    await c.start({ program: basics }, { [basics]: [lineOf(basics, "call-add")] });
    await c.waitForStop();
    await c.request("setBreakpoints", { source: { path: basics }, breakpoints: [{ line: lineOf(basics, "log") }] });
    const top = await c.step("continue");
    expect(top.line).toBe(lineOf(basics, "log"));
  });
});

describe("stepping", () => {
  test("over, in and out land where VS Code's JS debugger would", async () => {
    const c = newClient();
    await c.start({ program: basics }, { [basics]: [lineOf(basics, "call-add")] });
    await c.waitForStop();

    let top = await c.step("stepIn");
    expect([top.name, top.line]).toEqual(["add", lineOf(basics, "add-body")]);
    // V8 (and so VS Code's JS debugger) stops after the call: on the call's line if the
    // statement has more to do, else on the next statement.
    top = await c.step("stepOut");
    expect([lineOf(basics, "call-add"), lineOf(basics, "call-scale")]).toContain(top.line);
    if (top.line === lineOf(basics, "call-add")) top = await c.step("next");
    expect(top.line).toBe(lineOf(basics, "call-scale"));
    // step into a function in an imported file
    top = await c.step("stepIn");
    expect([top.source?.path, top.line]).toEqual([helper, lineOf(helper, "helper-scale")]);
    top = await c.step("next");
    expect(top.line).toBe(lineOf(helper, "helper-return"));
    top = await c.step("stepOut");
    expect(top.source?.path).toBe(basics);
    top = await c.step("next");
    expect(top.line).toBe(lineOf(basics, "loop-body") - 1);
  });

  test("stepping into a node built-in stays in the user's code", async () => {
    const c = newClient();
    await c.start({ program: basics }, { [basics]: [lineOf(basics, "log")] });
    await c.waitForStop();
    const top = await c.step("stepIn");
    expect(top.source?.path).toBe(basics);
    expect(top.line).toBe(lineOf(basics, "log") + 1);
  });

  test("stack frames are in TS locations with node internals de-emphasised", async () => {
    const c = newClient();
    await c.start({ program: basics }, { [basics]: [lineOf(basics, "add-body")] });
    await c.waitForStop();
    const frames = await c.stackTrace();
    expect(frames[0]).toMatchObject({ name: "add", line: lineOf(basics, "add-body"), source: { path: basics } });
    expect(frames[1]).toMatchObject({ line: lineOf(basics, "call-add"), source: { path: basics } });
    for (const f of frames.slice(2)) expect(f.presentationHint).toBe("subtle");
    // internal sources are served by reference
    const internal = frames.find((f) => f.source?.sourceReference);
    if (internal) {
      const source = await c.request<DebugProtocol.SourceResponse>("source", { source: internal.source, sourceReference: internal.source!.sourceReference });
      expect(source.body.content.length).toBeGreaterThan(0);
    }
  });
});
