// Gradscope engine benchmarks, side by side with tfjs (pure-JS CPU backend), js-pytorch
// and hand-written Float32Array code, in one run. Prints a markdown table and writes the
// same as JSON to bench/results/engine.json.
//
//   node bench/engine/run.mjs [--only matmul,mlp,scalarChain,elementwise,inspector]
//
// Gradscope is the built bundle dist/engine.cjs (`npm run build` at the repo root).
// Numbers are medians; the machines are shared and noisy, so nothing here fails on a
// threshold: the "pass?" column reports, it does not gate.
import { writeFileSync, mkdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadGradscope, loadTfjs, loadJsPytorch, engineBundle } from "./lib/libs.mjs";
import { formatTable, evaluate } from "./lib/report.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = resolve(here, "../results/engine.json");
const WORKLOADS = ["matmul", "mlp", "scalarChain", "elementwise", "inspector"];

const onlyArg = process.argv.find((a) => a.startsWith("--only"));
const only = onlyArg
  ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : process.argv[process.argv.indexOf(onlyArg) + 1]).split(",")
  : WORKLOADS;

const started = Date.now();
const gsLoad = loadGradscope();
const tfLoad = await loadTfjs();
const jtLoad = await loadJsPytorch();
const libs = { gs: gsLoad.lib, tf: tfLoad.lib, jt: jtLoad.lib };
const missing = {
  gradscope: gsLoad.reason ?? null,
  tfjs: tfLoad.reason ?? null,
  jsPytorch: jtLoad.reason ?? null,
};
for (const [name, reason] of Object.entries(missing)) if (reason) console.error(`[bench] ${name}: ${reason}`);

const rows = [];
for (const name of WORKLOADS.filter((w) => only.includes(w))) {
  const t0 = Date.now();
  process.stderr.write(`[bench] ${name} …`);
  const mod = await import(`./workloads/${name}.mjs`);
  rows.push(...(await mod.run(libs)).map(evaluate));
  process.stderr.write(` ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

const report = {
  suite: "engine",
  date: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus()[0]?.model ?? "?"} × ${cpus().length}`,
  loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
  durationSeconds: Math.round((Date.now() - started) / 1000),
  workloads: WORKLOADS.filter((w) => only.includes(w)),
  engineBundle: gsLoad.lib ? engineBundle : null,
  missing,
  rows,
};
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);

console.log(formatTable(report));
console.log(`\nWritten to ${resultsFile} (${report.durationSeconds} s, load average ${report.loadAverageAtEnd.join(" ")}).`);
