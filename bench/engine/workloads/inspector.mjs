// Workload 5: what the debugger's inspection surface costs when no debugger stops.
// The Gradscope MLP step (workload 2) is timed
//   - in a process that never references globalThis[Symbol.for("gradscope.inspector")]
//     ("plain"), and
//   - in a process that does, cycling through modes in interleaved rounds so machine noise
//     hits every mode alike: surface referenced but off; setRecording(true);
//     setRecording(true) + setBackwardStepping(true) (the per-node hook is called, nothing
//     breaks in it).
// Separately, the hand-written step is timed with and without the engine loaded in the
// process, to show that merely loading the engine slows nothing else down.
// Every variant runs in its own fresh child process, twice, alternating.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gradscopeMlp, handwrittenMlp } from "./mlp.mjs";
import { loadGradscope } from "../lib/libs.mjs";
import { median, gc, now, shortError } from "../lib/timing.mjs";

const INSPECTOR = Symbol.for("gradscope.inspector");
const MODES = {
  off: { recording: false, stepping: false },
  recording: { recording: true, stepping: false },
  recordingStepping: { recording: true, stepping: true },
};
const ROUNDS = 5;
const STEPS_PER_ROUND = 12;
const WARMUP = 3;
const TIMES = 2; // each child kind runs this many times, alternating

function timeSteps(step, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const t0 = now();
    step();
    out.push(now() - t0);
  }
  return out;
}

const children = {
  /** Gradscope step; the inspector symbol is never touched. */
  plain() {
    const { lib: gs, reason } = loadGradscope();
    if (!gs) throw new Error(reason);
    const step = gradscopeMlp(gs);
    timeSteps(step, 10);
    gc();
    const samples = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (let m = 0; m < Object.keys(MODES).length; m++) {
        timeSteps(step, WARMUP);
        samples.push(...timeSteps(step, STEPS_PER_ROUND));
      }
    }
    return { plain: median(samples), reps: samples.length };
  },
  /** Gradscope step under each inspector mode, interleaved. */
  inspector() {
    const { lib: gs, reason } = loadGradscope();
    if (!gs) throw new Error(reason);
    const inspector = globalThis[INSPECTOR];
    if (!inspector || typeof inspector.setRecording !== "function") {
      throw new Error("engine exposes no inspector on Symbol.for(\"gradscope.inspector\")");
    }
    const step = gradscopeMlp(gs);
    const setMode = ({ recording, stepping }) => {
      inspector.setRecording(recording);
      inspector.setBackwardStepping(stepping);
    };
    for (const mode of Object.values(MODES)) {
      setMode(mode);
      timeSteps(step, 5);
    }
    gc();
    const samples = Object.fromEntries(Object.keys(MODES).map((k) => [k, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, mode] of Object.entries(MODES)) {
        setMode(mode);
        timeSteps(step, WARMUP);
        samples[name].push(...timeSteps(step, STEPS_PER_ROUND));
      }
    }
    setMode(MODES.off);
    return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  },
  /** Hand-written step; the engine is never loaded. */
  handNoEngine() {
    return { hand: median(handLoop()) };
  },
  /** Hand-written step with the engine required (and nothing else done with it). */
  handEngineLoaded() {
    const { lib: gs, reason } = loadGradscope();
    if (!gs) throw new Error(reason);
    return { hand: median(handLoop()) };
  },
};

function handLoop() {
  const step = handwrittenMlp();
  timeSteps(step, 10);
  gc();
  return timeSteps(step, ROUNDS * 3 * STEPS_PER_ROUND);
}

function runChild(kind) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", kind], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (d) => (stdout += d));
    proc.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill("SIGKILL"), 120_000);
    proc.on("close", (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.trim().split("\n").pop()));
      } catch {
        resolve({ error: `child ${kind} exited ${code}: ${stderr.trim().split("\n").slice(-1)[0] ?? ""}`.slice(0, 160) });
      }
    });
  });
}

export async function run({ gs }) {
  const target = { ratioTo: "baseline", max: 1.05, text: "≤ 1.05× plain step" };
  const row = (id, workload, value, baseline, extra = {}) => ({
    id, workload, unit: "ms", higherIsBetter: false, target,
    results: { gradscope: value, handwritten: null, tfjs: null, jsPytorch: null },
    baseline, ...extra,
  });

  const runs = { plain: [], inspector: [], handNoEngine: [], handEngineLoaded: [] };
  if (gs) {
    for (let i = 0; i < TIMES; i++) {
      for (const kind of Object.keys(runs)) runs[kind].push(await runChild(kind));
    }
  }
  const errorOf = (list) => list.find((r) => r.error)?.error;
  const med = (list, key) => median(list.map((r) => r[key]));
  const value = (list, key) => {
    if (!gs) return null;
    const error = errorOf(list);
    return error ? { error } : { value: med(list, key), reps: list.length };
  };

  const inspectorOk = gs && !errorOf(runs.inspector);
  const off = value(runs.inspector, "off");
  return [
    row("inspectorRecordingStepping", "MLP step, recording + backward stepping on", value(runs.inspector, "recordingStepping"),
      inspectorOk ? { name: "surface off, same process", value: med(runs.inspector, "off") } : null),
    row("inspectorRecording", "MLP step, recording on", value(runs.inspector, "recording"),
      inspectorOk ? { name: "surface off, same process", value: med(runs.inspector, "off") } : null),
    row("inspectorReferenced", "MLP step, surface referenced (off) vs never", off,
      gs && !errorOf(runs.plain) ? { name: "never referenced (own process)", value: med(runs.plain, "plain") } : null),
    {
      id: "engineLoaded", workload: "hand-written MLP step, engine loaded vs not", unit: "ms", higherIsBetter: false, target,
      results: { gradscope: null, handwritten: value(runs.handEngineLoaded, "hand"), tfjs: null, jsPytorch: null },
      baseline: gs && !errorOf(runs.handNoEngine) ? { name: "engine not loaded (own process)", value: med(runs.handNoEngine, "hand") } : null,
      compare: "handwritten",
    },
  ];
}

if (process.argv[2] === "--child") {
  const kind = process.argv[3];
  let out;
  try {
    out = children[kind]();
  } catch (error) {
    out = { error: shortError(error) };
  }
  process.stdout.write(`\n${JSON.stringify(out)}\n`);
}
