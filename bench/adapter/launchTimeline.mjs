#!/usr/bin/env node
// Where a debugged run's time goes, for tuning the adapter's start-up (not part of `npm run bench`,
// which reports the ratios). Runs test/adapter/fixtures/mlp.ts under plain node and under the
// adapter, alternating, and prints one line per pair:
//   - the adapter's stages (GRADSCOPE_TIMING=1: spawned, compiled, inspector listening, attached,
//     releasing, program started, program finished, exited), in ms since the launch request, with
//     the adapter's CPU ms so far;
//   - in both processes, when the program's node reached its first preload, and when it loaded
//     and finished loading the engine and exited (ms since that process started), from a preload
//     that prints performance.now().
// Run after `npm run build`:  node bench/adapter/launchTimeline.mjs [runs]
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { adapter, fixtures, launchToExit, median, setUpBench, transpileForPlainNode } from "./harness.mjs";

const { scratch, DapClient } = await setUpBench("gradscope-timeline-");
const runs = Number(process.argv[2] ?? 5);
const program = path.join(fixtures, "mlp.ts");

/** Preloaded into both runs (main thread only): the process's own clock at a few points. */
const marksPreload = path.join(scratch, "marks.cjs");
writeFileSync(
  marksPreload,
  `if (require("node:worker_threads").isMainThread) {
  const mark = (name, value) => process.stderr.write("gradscope mark " + name + " " + value + "\\n");
  mark("preload", performance.now().toFixed(1));
  const Module = require("node:module");
  const require0 = Module.prototype.require;
  let seen = false;
  Module.prototype.require = function (id) {
    if (seen || !/gradscope|engine\\.cjs/.test(id)) return require0.call(this, id);
    seen = true;
    const start = performance.now();
    const loaded = require0.call(this, id);
    mark("engine", start.toFixed(1) + "-" + performance.now().toFixed(1));
    return loaded;
  };
  process.on("exit", () => mark("exit", performance.now().toFixed(1)));
}
`,
);
const marksIn = (text) => [...text.matchAll(/gradscope mark (\S+) (\S+)/g)].map((m) => `${m[1]} ${m[2]}`).join(", ");
const stagesIn = (text) => [...text.matchAll(/gradscope timing: (.*) at ([\d.]+) ms, adapter CPU (\d+) ms/g)].map((m) => `${m[1]} ${Math.round(Number(m[2]))} (cpu ${m[3]})`).join(", ");

try {
  const transpiled = await transpileForPlainNode(program, scratch);
  const plainTimes = [];
  const debuggedTimes = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const plain = spawnSync(process.execPath, ["--require", marksPreload, "--enable-source-maps", transpiled], { encoding: "utf8" });
    plainTimes.push(performance.now() - t0);

    const client = new DapClient({ GRADSCOPE_TIMING: "1" }, adapter);
    let adapterStderr = "";
    client.process.stderr.on("data", (chunk) => (adapterStderr += chunk));
    debuggedTimes.push(await launchToExit(client, { program, runtimeArgs: ["--require", marksPreload] }));
    await client.close();
    console.log(`plain ${plainTimes[i].toFixed(0)} ms [${marksIn(plain.stderr)}]`);
    console.log(`debugged ${debuggedTimes[i].toFixed(0)} ms [${marksIn(client.outputText("stderr"))}]`);
    console.log(`  adapter: ${stagesIn(adapterStderr)}`);
  }
  console.log(`median: plain ${median(plainTimes).toFixed(0)} ms, debugged ${median(debuggedTimes).toFixed(0)} ms, ratio ${(median(debuggedTimes) / median(plainTimes)).toFixed(2)}x`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
