#!/usr/bin/env node
// Debug adapter benchmarks (issue 3 "Speed"). Plain Node ESM; prints one line per metric
// and a JSON summary last. Run after `npm run build`:  node bench/adapter/run.mjs
//
//   launch      launch request -> stopped at a breakpoint on the program's first statement
//   next        next -> stopped + stackTrace + scopes + variables, frame holding 10 tensors
//   mlp         200-step MLP under the adapter (no breakpoints) vs the same transpiled
//               program under plain node: wall time ratio (launch included), and the ratio
//               of the training loop's own time (what the debugger costs a running program)
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { adapter, compareMlp, fixtures, lineOf, loadAverage, median, root, runs, setUpBench, timedStep } from "./harness.mjs";

const { scratch, DapClient } = await setUpBench("gradscope-bench-");
const firstStatementLine = (file) => readFileSync(file, "utf8").split("\n").findIndex((l) => l.trim() && !l.trim().startsWith("//") && !l.startsWith("import")) + 1;

async function benchLaunch() {
  const program = path.join(fixtures, "tensors.ts");
  const line = firstStatementLine(program);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const client = new DapClient({}, adapter);
    await client.request("initialize", { adapterID: "gradscope", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
    const t0 = performance.now();
    const stopped = client.waitForEvent("stopped");
    const launched = client.send("launch", { program });
    await client.waitForEvent("initialized");
    await client.request("setBreakpoints", { source: { path: program }, breakpoints: [{ line }] });
    await client.request("setExceptionBreakpoints", { filters: ["autogradErrors"] });
    await client.request("configurationDone");
    await stopped;
    times.push(performance.now() - t0);
    await launched;
    await client.close();
  }
  return times;
}

async function benchNext() {
  const program = path.join(fixtures, "tenTensors.ts");
  const client = new DapClient({}, adapter);
  await client.start({ program }, { [program]: [lineOf(program, "ten-start")] });
  await client.waitForEvent("stopped");
  const times = [];
  for (let i = 0; i < 40; i++) {
    const { ms, variables } = await timedStep(client, "Local");
    times.push(ms);
    const tensors = variables.filter((v) => v.value.startsWith("Tensor[")).length;
    if (tensors !== 10) throw new Error(`expected 10 tensors in the frame, saw ${tensors}`);
  }
  await client.close();
  return times.slice(5); // the first steps warm up V8 and the adapter
}

/** The 200-step MLP under the adapter, no breakpoints, vs plain node. */
const benchMlp = () => compareMlp(DapClient, scratch);

try {
  const loadBefore = loadAverage();
  const launch = await benchLaunch();
  console.log(`adapter launch->stopped at first statement: median ${median(launch).toFixed(0)} ms (target <= 1500) runs=${launch.map((t) => t.toFixed(0)).join(",")}`);
  const next = await benchNext();
  console.log(`adapter next->stopped+stackTrace+scopes+variables (10 tensors): median ${median(next).toFixed(1)} ms (target <= 100)`);
  const mlp = await benchMlp();
  const ratio = median(mlp.debugged) / median(mlp.plain);
  console.log(
    `adapter MLP 200 steps: plain node ${median(mlp.plain).toFixed(0)} ms, under adapter ${median(mlp.debugged).toFixed(0)} ms, ratio ${ratio.toFixed(2)}x (target <= 1.15)`,
  );
  const trainRatio = median(mlp.debuggedTrain) / median(mlp.plainTrain);
  console.log(
    `adapter MLP training loop alone (no launch costs): plain ${median(mlp.plainTrain).toFixed(0)} ms, under adapter ${median(mlp.debuggedTrain).toFixed(0)} ms, ratio ${trainRatio.toFixed(2)}x`,
  );
  const loadAfter = loadAverage();
  console.log(`load average (1 min) before ${loadBefore}, after ${loadAfter} (2 cores: above ~1 the ratios are noisy)`);
  console.log(
    JSON.stringify({
      loadAverage: [loadBefore, loadAfter],
      adapterMlpTrainRatio: Number(trainRatio.toFixed(3)),
      adapterLaunchMs: Math.round(median(launch)),
      adapterNextMs: Number(median(next).toFixed(1)),
      adapterMlpPlainMs: Math.round(median(mlp.plain)),
      adapterMlpDebuggedMs: Math.round(median(mlp.debugged)),
      adapterMlpRatio: Number(ratio.toFixed(3)),
    }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// ---- Backward stepping (issue 4): bench/adapter/backward.mjs, its own section and process. ----
{
  const section = spawnSync(process.execPath, [path.join(root, "bench/adapter/backward.mjs")], { stdio: ["ignore", "inherit", "inherit"] });
  if (section.status !== 0) process.exitCode = section.status ?? 1;
}
