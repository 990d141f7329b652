/**
 * Launching and the bad-input/fault paths of issue 3: every one ends the session cleanly
 * and leaves no process behind.
 */
import { describe, expect, test } from "vitest";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DapClient, DapError, isAlive } from "./dapClient";
import { MANIFEST_ENV } from "../../src/debug/launch/tsModules";
import { closeClientsAfterEach, eventually, fixture, lineOf } from "./helpers";

const newClient = closeClientsAfterEach();


async function launchError(launch: Record<string, unknown>): Promise<string> {
  const c = newClient();
  try {
    await c.start(launch);
  } catch (error) {
    expect(error).toBeInstanceOf(DapError);
    await c.waitForEvent("terminated");
    return (error as Error).message;
  }
  throw new Error("launch unexpectedly succeeded");
}

/** Pids of the processes whose command line has every one of `args` (Linux). */
function processesRunning(...args: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.every((arg) => argv.includes(arg))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The debuggee's temp dir (compiled program, bootstrap), from the environment it started with (Linux). */
function sessionScratchDir(pid: number): string {
  const environment = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  const manifest = environment.find((entry) => entry.startsWith(`${MANIFEST_ENV}=`))!.slice(MANIFEST_ENV.length + 1);
  return path.dirname(manifest);
}

async function debuggeePid(c: DapClient): Promise<number> {
  const event = await c.waitForEvent<DebugProtocol.ProcessEvent>("process");
  return event.body.systemProcessId!;
}

/** Runs a fixture with a breakpoint on its `mark`: it stops there, then finishes printing `output`. */
async function stopsAtMarkThenFinishes(name: string, mark: string, output: string): Promise<void> {
  const c = newClient();
  const program = fixture(name);
  await c.start({ program }, { [program]: [lineOf(program, mark)] });
  await c.waitForStop();
  expect((await c.topFrame()).line).toBe(lineOf(program, mark));
  await c.request("continue", { threadId: 1 });
  await c.waitForEvent("terminated");
  expect(c.outputText("stdout")).toContain(output);
}

describe("launch", () => {
  test("runs a TS program: imports, JSON, node_modules; stdout and stderr in order; exit code last", async () => {
    const c = newClient();
    await c.start({ program: fixture("basics.ts") });
    const exited = await c.waitForEvent<DebugProtocol.ExitedEvent>("exited");
    await c.waitForEvent("terminated");
    expect(exited.body.exitCode).toBe(0);
    const stdout = c.outputText("stdout");
    expect(stdout).toContain("total=5 scaled=3,6 counter=10\nhello from helper json-ok colors-ok\n");
    expect(stdout.indexOf("total=5")).toBeLessThan(stdout.indexOf("last line 250 net"));
    expect(c.outputText("stderr")).toBe("to stderr\n");
    const all = c.allOutput.map((e) => e.body.output).join("");
    expect(all.trimEnd().endsWith("Process exited with code 0.")).toBe(true);
    // nothing from the inspector leaks into the user's stderr
    expect(c.outputText("stderr")).not.toMatch(/Debugger|inspector/);
  });

  test("passes args, env and cwd", async () => {
    const c = newClient();
    const cwd = mkdtempSync(path.join(os.tmpdir(), "gradscope-cwd-"));
    await c.start({ program: fixture("args.ts"), args: ["one", "two words"], env: { GRADSCOPE_TEST_VAR: "set" }, cwd });
    await c.waitForEvent("terminated");
    expect(c.outputText("stdout")).toContain(`args=["one","two words"] env=set cwd=${cwd}`);
    rmSync(cwd, { recursive: true, force: true });
  });

  test("reports a non-zero exit code", async () => {
    const c = newClient();
    await c.start({ program: fixture("exitCode.ts") });
    const exited = await c.waitForEvent<DebugProtocol.ExitedEvent>("exited");
    expect(exited.body.exitCode).toBe(3);
  });

  test("stopOnEntry stops at the program's first statement", async () => {
    const c = newClient();
    const program = fixture("basics.ts");
    await c.start({ program, stopOnEntry: true });
    const stopped = await c.waitForStop();
    expect(stopped.body.reason).toBe("entry");
    const top = await c.topFrame();
    expect(top.source?.path).toBe(program);
    expect(top.line).toBeLessThanOrEqual(lineOf(program, "first-statement"));
  });

  test("an ES module with top-level await and import.meta", () => stopsAtMarkThenFinishes("esm/main.ts", "esm-await", "esm 42 true"));

  test("an ES module imports TS files (./lib, ./lib2.js), JSON, packages and the engine; breakpoints bind in files not yet loaded", async () => {
    const c = newClient();
    const program = fixture("esmImports/main.ts");
    const lib = fixture("esmImports/lib.ts");
    const { breakpoints } = await c.start({ program }, { [lib]: [lineOf(lib, "esm-lib")] });
    expect(breakpoints[lib]![0]).toMatchObject({ verified: true, line: lineOf(lib, "esm-lib") });
    await c.waitForStop();
    const frames = await c.stackTrace();
    expect(frames[0]).toMatchObject({ name: "twice", line: lineOf(lib, "esm-lib"), source: { path: lib } });
    expect(frames[1]).toMatchObject({ line: lineOf(program, "esm-log"), source: { path: program } });
    expect((await c.evaluate("x", "hover", frames[0]!.id)).result).toBe("2");
    await c.request("continue", { threadId: 1 });
    await c.waitForEvent("terminated");
    expect(c.outputText("stdout")).toContain("esm imports 4 6 7 function 2");
  });

  test("top-level await in a .ts that Node would run as CommonJS: it runs as an ES module", () => stopsAtMarkThenFinishes("topLevelAwait.ts", "tla", "tla 5 hello from helper true"));

  test("a program with a worker thread runs to completion", async () => {
    const c = newClient();
    await c.start({ program: fixture("worker.ts") });
    const exited = await c.waitForEvent<DebugProtocol.ExitedEvent>("exited");
    expect(exited.body.exitCode).toBe(0);
    expect(c.outputText("stdout")).toContain("worker says 42");
  });

  test("a CommonJS program (require, module.exports, __filename)", () => stopsAtMarkThenFinishes("commonjs.cjs", "cjs-line", "cjs commonjs.cjs true"));

  test("restart relaunches and hits the same breakpoint again", async () => {
    const c = newClient();
    const program = fixture("basics.ts");
    const line = lineOf(program, "call-add");
    await c.start({ program }, { [program]: [line] });
    await c.waitForStop();
    const stopped = c.waitForStop();
    await c.request("restart", {});
    await stopped;
    expect((await c.topFrame()).line).toBe(line);
    expect(c.outputText("stdout")).not.toContain("total=5");
  });
});

describe("bad input", () => {
  test("missing program names the path", async () => {
    const missing = path.join(os.tmpdir(), "no-such-dir", "nothing-here.ts");
    const message = await launchError({ program: missing });
    expect(message).toContain(missing);
  });

  test("program that is not a file names the path", async () => {
    const dir = fixture("esm");
    const message = await launchError({ program: dir });
    expect(message).toContain(dir);
    expect(message).toMatch(/not a file/);
  });

  test("missing program attribute is named", async () => {
    expect(await launchError({})).toMatch(/'program'/);
  });

  test("an attribute of the wrong type is named", async () => {
    expect(await launchError({ program: fixture("basics.ts"), args: "--fast" })).toMatch(/'args'/);
    expect(await launchError({ program: fixture("basics.ts"), stopOnEntry: "yes" })).toMatch(/'stopOnEntry'/);
    expect(await launchError({ program: fixture("basics.ts"), env: { A: 1 } })).toMatch(/'env'/);
  });

  test("a TS syntax error comes back as file:line:column message, and the node already started for it is gone", async () => {
    const program = fixture("syntaxError.ts");
    const message = await launchError({ program });
    expect(message).toMatch(new RegExp(`${program.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:2:\\d+: .+`));
    // node starts while the adapter compiles (debuggeeRuntime.ts): a failed compile kills it.
    if (process.platform === "linux") expect(await eventually(() => processesRunning(program).length === 0)).toBe(true);
  });

  test("a syntax error in an imported file names that file", async () => {
    const message = await launchError({ program: fixture("importsSyntaxError.ts") });
    const broken = fixture("syntaxError.ts").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    expect(message).toMatch(new RegExp(`^${broken}:2:\\d+: .+`));
  });

  test("a runtimeExecutable that doesn't exist is named", async () => {
    expect(await launchError({ program: fixture("basics.ts"), runtimeExecutable: "/nonexistent/node-binary" })).toMatch(/runtimeExecutable/);
  });
});

describe("the Debugger domain, on only when something needs it", () => {
  const enabledDebugger = (c: DapClient) => c.adapterStderr.includes("gradscope timing: enabling the debugger");

  test("a run with no breakpoints, no debugger statement and only autogradErrors never turns it on", async () => {
    const c = newClient({ GRADSCOPE_TIMING: "1" });
    await c.start({ program: fixture("mlp.ts"), env: { MLP_STEPS: "3" } }, {}, ["autogradErrors"]);
    await c.waitForEvent("exited");
    expect(c.outputText("stdout")).toContain("final loss");
    // The adapter's stderr is another pipe than its DAP stdout: it may be read after the exited event.
    expect(await eventually(() => c.adapterStderr.includes("gradscope timing: program finished"))).toBe(true);
    expect(enabledDebugger(c)).toBe(false);
  });

  test("a breakpoint turns it on before the program runs, and binds", async () => {
    const c = newClient({ GRADSCOPE_TIMING: "1" });
    const program = fixture("mlp.ts");
    await c.start({ program, env: { MLP_STEPS: "3" } }, { [program]: [lineOf(program, "mlp-loss")] });
    await c.waitForStop();
    expect((await c.topFrame()).line).toBe(lineOf(program, "mlp-loss"));
    expect(enabledDebugger(c)).toBe(true);
  });

  test("the engine asks for it before an autogradErrors stop, and the stop is at the user's line", async () => {
    const c = newClient({ GRADSCOPE_TIMING: "1" });
    const program = fixture("nonLeafError.ts");
    await c.start({ program }, {}, ["autogradErrors"]);
    await c.waitForStop();
    expect((await c.topFrame()).line).toBe(lineOf(program, "set-nonleaf"));
    expect(enabledDebugger(c)).toBe(true);
  });

  test("a function breakpoint alone leaves it off until a node of that type runs; the engine asks for it and stops there", async () => {
    const program = fixture("backward/diamond.ts");
    const c = newClient({ GRADSCOPE_TIMING: "1" });
    await c.start({ program }, {}, [], async () => {
      await c.request("setFunctionBreakpoints", { breakpoints: [{ name: "MulBackward0" }] });
    });
    const stopped = await c.waitForStop();
    expect(stopped.body.reason).toBe("function breakpoint");
    expect(await c.topFrame()).toMatchObject({ name: "MulBackward0", line: lineOf(program, "a") });
    const log = c.adapterStderr;
    expect(log.indexOf("gradscope timing: releasing")).toBeGreaterThan(-1);
    expect(log.indexOf("gradscope timing: enabling the debugger")).toBeGreaterThan(log.indexOf("gradscope timing: releasing"));
  });

  test("a breakpoint set while the program runs turns it on and binds", async () => {
    const c = newClient({ GRADSCOPE_TIMING: "1" });
    const program = fixture("infinite.ts");
    await c.start({ program });
    await c.waitForEvent("output", (e: DebugProtocol.OutputEvent) => e.body.output.includes("spinning"));
    expect(enabledDebugger(c)).toBe(false);
    const stopped = c.waitForStop();
    const set = await c.request<DebugProtocol.SetBreakpointsResponse>("setBreakpoints", { source: { path: program }, breakpoints: [{ line: lineOf(program, "spin") }] });
    expect(set.body.breakpoints[0]!.verified).toBe(true);
    expect((await stopped).body.reason).toBe("breakpoint");
    expect((await c.topFrame()).line).toBe(lineOf(program, "spin"));
  });

  test("pause turns it on while the program runs", async () => {
    const c = newClient({ GRADSCOPE_TIMING: "1" });
    await c.start({ program: fixture("infinite.ts") });
    expect(enabledDebugger(c)).toBe(false);
    const stopped = c.waitForStop();
    await c.request("pause", { threadId: 1 });
    expect((await stopped).body.reason).toBe("pause");
    expect(enabledDebugger(c)).toBe(true);
  });
});

describe("faults", () => {
  test("a program that throws: stack in TS locations, exit code reported", async () => {
    const c = newClient();
    const program = fixture("throws.ts");
    await c.start({ program });
    const exited = await c.waitForEvent<DebugProtocol.ExitedEvent>("exited");
    await c.waitForEvent("terminated");
    expect(exited.body.exitCode).toBe(1);
    const stderr = c.outputText("stderr");
    expect(stderr).toContain("boom at depth 3");
    expect(stderr).toContain(`${program}:${lineOf(program, "throw")}`);
    expect(stderr).toContain(`${program}:${lineOf(program, "outer-call")}`);
  });

  test("an uncaught exception stops at the throw with a TS stack when 'uncaught' is on", async () => {
    const c = newClient();
    const program = fixture("throws.ts");
    await c.start({ program }, {}, ["uncaught"]);
    const stopped = await c.waitForStop();
    expect(stopped.body.reason).toBe("exception");
    const frames = await c.stackTrace();
    expect(frames[0]).toMatchObject({ name: "explode", line: lineOf(program, "throw"), source: { path: program } });
    expect(frames[1]).toMatchObject({ name: "outer", line: lineOf(program, "outer-call") });
    const info = await c.request<DebugProtocol.ExceptionInfoResponse>("exceptionInfo", { threadId: 1 });
    expect(info.body.description).toContain("boom at depth 3");
    expect(info.body.breakMode).toBe("unhandled");
  });

  test("caught exceptions stop only with 'all'", async () => {
    const program = fixture("caught.ts");
    const quiet = newClient();
    await quiet.start({ program }, {}, ["uncaught"]);
    await quiet.waitForEvent("terminated");
    expect(quiet.outputText("stdout")).toContain("handled caught one");
    await quiet.close();

    const c = newClient();
    await c.start({ program }, {}, ["all"]);
    const stopped = await c.waitForStop();
    expect(stopped.body.reason).toBe("exception");
    expect((await c.topFrame()).line).toBe(lineOf(program, "caught-throw"));
  });

  test("an infinite loop: pause stops it at its TS line", async () => {
    const c = newClient();
    const program = fixture("infinite.ts");
    await c.start({ program });
    await eventually(() => c.outputText("stdout").includes("spinning"));
    const stopped = c.waitForStop();
    await c.request("pause", { threadId: 1 });
    expect((await stopped).body.reason).toBe("pause");
    const top = await c.topFrame();
    expect(top.source?.path).toBe(program);
    expect(top.line).toBeGreaterThanOrEqual(lineOf(program, "spin") - 1);
    expect(top.line).toBeLessThanOrEqual(lineOf(program, "spin") + 1);
  });

  test("the debuggee killed from outside ends the session", async () => {
    const c = newClient();
    await c.start({ program: fixture("infinite.ts") });
    const pid = await debuggeePid(c);
    process.kill(pid, "SIGKILL");
    const exited = await c.waitForEvent<DebugProtocol.ExitedEvent>("exited");
    await c.waitForEvent("terminated");
    expect(exited.body.exitCode).toBe(137);
  });

  test("terminate kills the debuggee, and stands its lifeline watchdog down", async () => {
    const c = newClient();
    await c.start({ program: fixture("infinite.ts") });
    const pid = await debuggeePid(c);
    if (process.platform === "linux") expect(processesRunning("gradscope-lifeline", String(pid))).toHaveLength(1);
    await c.request("terminate");
    await c.waitForEvent("terminated");
    expect(await eventually(() => !isAlive(pid))).toBe(true);
    if (process.platform === "linux") expect(await eventually(() => processesRunning("gradscope-lifeline", String(pid)).length === 0)).toBe(true);
  });

  test("disconnect kills the debuggee and the adapter exits", async () => {
    const c = newClient();
    await c.start({ program: fixture("infinite.ts") });
    const pid = await debuggeePid(c);
    await c.request("disconnect", { terminateDebuggee: true });
    expect(await c.exited()).toBe(0);
    expect(await eventually(() => !isAlive(pid))).toBe(true);
  });

  test("the adapter killed outright (SIGKILL): the debuggee dies too, and the session's temp dir goes", async () => {
    const c = newClient();
    await c.start({ program: fixture("infinite.ts") });
    const pid = await debuggeePid(c);
    const scratchDir = process.platform === "linux" ? sessionScratchDir(pid) : undefined;
    if (scratchDir) expect(existsSync(scratchDir)).toBe(true);
    c.process.kill("SIGKILL");
    await c.exited();
    expect(await eventually(() => !isAlive(pid))).toBe(true);
    if (scratchDir) expect(await eventually(() => !existsSync(scratchDir))).toBe(true);
  });

  test("the adapter's stdin closed: the debuggee is killed", async () => {
    const c = newClient();
    const program = fixture("infinite.ts");
    await c.start({ program }, { [program]: [lineOf(program, "spin")] });
    await c.waitForStop(); // paused debuggees must die too
    const pid = await debuggeePid(c);
    c.process.stdin!.end();
    await c.exited();
    expect(await eventually(() => !isAlive(pid))).toBe(true);
  });
});
