/** Scopes, plain JS variables, paging, evaluation, setVariable, completions, loaded sources. */
import { describe, expect, test } from "vitest";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { byName, closeClientsAfterEach, fixture, pausedAtMark } from "./helpers";

const newClient = closeClientsAfterEach();

const basics = fixture("basics.ts");
const helper = fixture("helper.ts");

const pausedAt = (file: string, mark: string) => pausedAtMark(newClient(), { program: basics }, file, mark);

describe("scopes and variables", () => {
  test("Local, Closure and Global scopes; the module wrapper's names are hidden", async () => {
    const c = await pausedAt(helper, "helper-return");
    const top = await c.topFrame();
    const scopes = (await c.request<DebugProtocol.ScopesResponse>("scopes", { frameId: top.id })).body.scopes;
    expect(scopes[0]!.name).toBe("Local");
    expect(scopes.map((s) => s.name)).toContain("Global");
    const locals = await c.scopeVariables();
    expect(locals.map((v) => v.name)).toEqual(expect.arrayContaining(["p", "factor", "scaled"]));
    expect(byName(locals, "factor").value).toBe("3");
    expect(byName(locals, "scaled").value).toBe("{x: 3, y: 6}");
    // basics.ts has a `scaled` too: each file keeps its own
    expect((await c.evaluate("scaled.x + factor", "hover", top.id)).result).toBe("6");

    const frames = await c.stackTrace();
    const moduleLocals = await c.scopeVariables("Local", frames[1]!.id);
    const names = moduleLocals.map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(["origin", "counter", "numbers", "nested", "add"]));
    expect(names.filter((n) => /^_/.test(n))).toEqual([]);
    expect(names).not.toContain("require");
  });

  test("objects expand; long arrays page with indexedVariables", async () => {
    const c = await pausedAt(basics, "log");
    const locals = await c.scopeVariables();
    const nested = byName(locals, "nested");
    const children = await c.variables(nested.variablesReference);
    expect(byName(children, "name").value).toBe('"net"');
    expect(byName(children, "layers").value).toBe("Array(3) [1, 2, 3]");
    expect(byName(children, "inner").evaluateName).toBe("nested.inner");

    const numbers = byName(locals, "numbers");
    expect(numbers.indexedVariables).toBe(250);
    const page = await c.variables(numbers.variablesReference, { filter: "indexed", start: 200, count: 3 });
    expect(page.map((v) => [v.name, v.value])).toEqual([
      ["200", "400"],
      ["201", "402"],
      ["202", "404"],
    ]);
    expect(byName(locals, "counter").value).toBe("10");
  });
});

describe("evaluate", () => {
  test("repl and watch evaluate in the selected frame", async () => {
    const c = await pausedAt(basics, "add-body");
    const frames = await c.stackTrace();
    expect((await c.evaluate("a + b", "repl", frames[0]!.id)).result).toBe("5");
    expect((await c.evaluate("origin.x * 10", "watch", frames[1]!.id)).result).toBe("10");
    const obj = await c.evaluate("({ k: [1, 2] })", "repl");
    expect(obj.variablesReference).toBeGreaterThan(0);
    await expect(c.evaluate("notDefinedAnywhere", "watch")).rejects.toThrow(/notDefinedAnywhere is not defined/);
  });

  test("hover evaluation has no side effects", async () => {
    const c = await pausedAt(basics, "log");
    const top = await c.topFrame();
    expect((await c.evaluate("counter", "hover", top.id)).result).toBe("10");
    await expect(c.evaluate("counter++", "hover", top.id)).rejects.toThrow();
    await expect(c.evaluate("nested.layers.push(4)", "hover", top.id)).rejects.toThrow();
    // a pure function call is allowed: V8 proves it has no side effects
    expect((await c.evaluate("add(1, 1)", "hover", top.id)).result).toBe("2");
    expect((await c.evaluate("counter", "repl", top.id)).result).toBe("10");
    expect((await c.evaluate("nested.layers.length", "repl", top.id)).result).toBe("3");
  });

  test("imported names evaluate (hover, repl, completions) and sucrase's own names stay hidden", async () => {
    const c = await pausedAt(basics, "log");
    const top = await c.topFrame();
    expect((await c.evaluate("greeting", "hover", top.id)).result).toBe('"hello from helper"');
    expect((await c.evaluate("scale(origin, 2).y + settings.mode", "repl", top.id)).result).toBe('"4json-ok"');
    expect((await c.evaluate("typeof pc.red", "watch", top.id)).result).toBe('"function"');
    const completions = await c.request<DebugProtocol.CompletionsResponse>("completions", { text: "gre", column: 4, frameId: top.id });
    expect(completions.body.targets.map((t) => t.label)).toContain("greeting");
    const names = (await c.scopeVariables()).map((v) => v.name);
    expect(names.filter((n) => n.startsWith("_"))).toEqual([]);
  });

  test("setVariable changes a local and an object member", async () => {
    const c = await pausedAt(basics, "log");
    const locals = await c.scopeVariables();
    const scopes = (await c.request<DebugProtocol.ScopesResponse>("scopes", { frameId: (await c.topFrame()).id })).body.scopes;
    const set = await c.request<DebugProtocol.SetVariableResponse>("setVariable", { variablesReference: scopes[0]!.variablesReference, name: "counter", value: "41 + 1" });
    expect(set.body.value).toBe("42");
    expect((await c.evaluate("counter")).result).toBe("42");
    const nested = byName(locals, "nested");
    await c.request("setVariable", { variablesReference: nested.variablesReference, name: "name", value: '"changed"' });
    expect((await c.evaluate("nested.name")).result).toBe('"changed"');
    await c.request("continue", { threadId: 1 });
    await c.waitForEvent("terminated");
    expect(c.outputText("stdout")).toContain("counter=42");
    expect(c.outputText("stdout")).toContain("last line 250 changed");
  });

  test("completions in the debug console", async () => {
    const c = await pausedAt(basics, "log");
    const top = await c.topFrame();
    const names = async (text: string) =>
      (await c.request<DebugProtocol.CompletionsResponse>("completions", { text, column: text.length + 1, frameId: top.id })).body.targets.map((t) => t.label);
    expect(await names("orig")).toContain("origin");
    expect(await names("origin.")).toEqual(expect.arrayContaining(["x", "y", "hasOwnProperty"]));
    expect(await names("nested.inn")).toEqual(["inner"]);
    expect(await names("Mat")).toContain("Math");
  });

  test("loadedSources lists the program's TS files", async () => {
    const c = await pausedAt(basics, "log");
    const response = await c.request<DebugProtocol.LoadedSourcesResponse>("loadedSources");
    const paths = response.body.sources.map((s) => s.path);
    expect(paths).toEqual(expect.arrayContaining([basics, helper]));
  });
});
