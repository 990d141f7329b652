// Profiles the Gradscope side of one workload with V8's sampling profiler and prints the
// functions with the most self time (and their callers' share), so a slow workload points
// at the engine function to fix.
//
//   node bench/engine/profile.mjs mlp|matmul|chain|elementwise|inspector [seconds=4]
//
// The .cpuprofile is kept under bench/results/profiles/ (open it in Chrome DevTools or
// VS Code for the flame chart).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { loadGradscope } from "./lib/libs.mjs";
import { gradscopeMlp } from "./workloads/mlp.mjs";
import { randn } from "./lib/data.mjs";

const self = fileURLToPath(import.meta.url);
const profilesDir = resolve(dirname(self), "../results/profiles");

const workloads = {
  mlp(gs) {
    return gradscopeMlp(gs);
  },
  inspector(gs) {
    const inspector = globalThis[Symbol.for("gradscope.inspector")];
    inspector.setRecording(true);
    inspector.setBackwardStepping(true);
    return gradscopeMlp(gs);
  },
  matmul(gs) {
    const A = gs.tensor(randn(512 * 512, 10)).reshape([512, 512]);
    const B = gs.tensor(randn(512 * 512, 11)).reshape([512, 512]);
    return () => A.matmul(B);
  },
  chain(gs) {
    return () => {
      const x = gs.tensor(1, { requiresGrad: true });
      let y = x;
      for (let i = 0; i < 100_000; i++) y = y.mul(1.0001).add(0.0001);
      y.backward();
    };
  },
  elementwise(gs) {
    const [A, B, C] = [30, 31, 32].map((s) => gs.tensor(randn(1_000_000, s), { requiresGrad: true }));
    return () => {
      for (const t of [A, B, C]) t.grad = null;
      A.mul(B).add(C).relu().sum().backward();
    };
  },
};

const [name = "mlp", seconds = "4"] = process.argv.slice(2).filter((a) => a !== "--child");

if (process.argv.includes("--child")) {
  const { lib: gs, reason } = loadGradscope();
  if (!gs) throw new Error(reason);
  const step = workloads[name](gs);
  const end = performance.now() + Number(seconds) * 1000;
  let n = 0;
  while (performance.now() < end) {
    step();
    n++;
  }
  console.log(`${name}: ${n} iterations in ${seconds} s (${((Number(seconds) * 1000) / n).toFixed(2)} ms each, profiled)`);
} else {
  if (!workloads[name]) {
    console.error(`unknown workload ${name}; one of ${Object.keys(workloads).join(", ")}`);
    process.exit(2);
  }
  const tmp = resolve(profilesDir, `.tmp-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  const run = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${tmp}`, self, "--child", name, seconds], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
  const file = readdirSync(tmp).find((f) => f.endsWith(".cpuprofile"));
  const kept = resolve(profilesDir, `${name}.cpuprofile`);
  renameSync(resolve(tmp, file), kept);
  rmSync(tmp, { recursive: true, force: true });
  summarize(JSON.parse(readFileSync(kept, "utf8")));
  console.log(`\nprofile: ${kept}`);
}

function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    total += dt;
  });
  const label = (n) => {
    const f = n.callFrame;
    const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : "";
    return `${f.functionName || "(anonymous)"} ${where}`.trim();
  };
  const rows = new Map();
  // Callers are shown as a chain of up to three frames, the heaviest chains first.
  const chainOf = (id) => {
    const names = [];
    for (let p = parent.get(id); p != null && names.length < 3; p = parent.get(p)) names.push(label(byId.get(p)));
    return names.join(" ← ");
  };
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    const key = label(n);
    const row = rows.get(key) ?? { self: 0, callers: new Map() };
    row.self += us;
    const chain = chainOf(id);
    if (chain) row.callers.set(chain, (row.callers.get(chain) ?? 0) + us);
    rows.set(key, row);
  }
  const top = [...rows.entries()].sort((a, b) => b[1].self - a[1].self).slice(0, 15);
  console.log(`\nself time, top functions (total ${(total / 1000).toFixed(0)} ms sampled):`);
  for (const [key, row] of top) {
    console.log(`${((100 * row.self) / total).toFixed(1).padStart(5)}%  ${key}`);
    const callers = [...row.callers.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2);
    for (const [chain, us] of callers) console.log(`          ${((100 * us) / row.self).toFixed(0).padStart(3)}% ← ${chain}`);
  }
}
