// Workload 5: what the debugger's inspection surface costs when no debugger stops.
//
// The Gradscope MLP step (workload 2) runs in two child processes:
//   - "plain" never references globalThis[Symbol.for("gradscope.inspector")];
//   - "inspector" does, and runs its steps in one of three modes: surface off (referenced
//     only); setRecording(true); setRecording(true) + setBackwardStepping(true) (the
//     per-node hook is called, nothing breaks in it).
// Separately, the hand-written step runs in a process that never loads the engine and in
// one that has required it (and does nothing else with it).
//
// The parent drives the children over IPC in interleaved blocks (plain, off, recording,
// recording+stepping, plain, …) so that load changes on a shared machine hit every variant
// alike, even across processes. Medians per variant; ratios against the baseline.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gradscopeMlp, handwrittenMlp } from "./mlp.mjs";
import { loadGradscope } from "../lib/libs.mjs";
import { median, gc, now, shortError, pairedRatio } from "../lib/timing.mjs";

const INSPECTOR = Symbol.for("gradscope.inspector");
const MODES = {
  off: { recording: false, stepping: false },
  recording: { recording: true, stepping: false },
  recordingStepping: { recording: true, stepping: true },
};
const ROUNDS = 12;
const BLOCK = 8; // timed steps per block
const WARMUP = 2; // untimed steps before each block (after a mode switch)

// ---- child side ----

const setups = {
  plain() {
    const { lib: gs, reason } = loadGradscope();
    if (!gs) throw new Error(reason);
    return { step: gradscopeMlp(gs) };
  },
  inspector() {
    const { lib: gs, reason } = loadGradscope();
    if (!gs) throw new Error(reason);
    const inspector = globalThis[INSPECTOR];
    if (!inspector || typeof inspector.setRecording !== "function" || typeof inspector.setBackwardStepping !== "function") {
      throw new Error('engine exposes no inspector with setRecording/setBackwardStepping on Symbol.for("gradscope.inspector")');
    }
    return {
      step: gradscopeMlp(gs),
      setMode(name) {
        inspector.setRecording(MODES[name].recording);
        inspector.setBackwardStepping(MODES[name].stepping);
      },
    };
  },
  handNoEngine() {
    return { step: handwrittenMlp() };
  },
  handEngineLoaded() {
    const { lib: gs, reason } = loadGradscope();
    if (!gs) throw new Error(reason);
    return { step: handwrittenMlp() };
  },
};

function childMain(kind) {
  let setup;
  try {
    setup = setups[kind]();
    for (let i = 0; i < 10; i++) setup.step();
    if (setup.setMode) {
      for (const name of Object.keys(MODES)) {
        setup.setMode(name);
        for (let i = 0; i < 3; i++) setup.step();
      }
      setup.setMode("off");
    }
    gc();
    process.send({ ready: true });
  } catch (error) {
    process.send({ error: shortError(error) });
    return;
  }
  process.on("message", (msg) => {
    if (msg.exit) {
      setup.setMode?.("off");
      process.disconnect();
      return;
    }
    try {
      if (msg.mode) setup.setMode(msg.mode);
      for (let i = 0; i < WARMUP; i++) setup.step();
      const samples = [];
      for (let i = 0; i < BLOCK; i++) {
        const t0 = now();
        setup.step();
        samples.push(now() - t0);
      }
      process.send({ samples });
    } catch (error) {
      process.send({ error: shortError(error) });
    }
  });
}

// ---- parent side ----

class Child {
  constructor(kind) {
    this.kind = kind;
    this.proc = fork(fileURLToPath(import.meta.url), ["--child", kind], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    this.stderr = "";
    this.proc.stderr.on("data", (d) => (this.stderr += d));
    this.waiting = null;
    this.proc.on("message", (msg) => this.settle(msg));
    this.proc.on("exit", (code) => this.settle({ error: `child ${kind} exited ${code}: ${this.stderr.trim().split("\n").pop() ?? ""}`.slice(0, 160) }));
  }
  settle(msg) {
    const w = this.waiting;
    this.waiting = null;
    w?.(msg);
  }
  next() {
    return new Promise((resolve) => (this.waiting = resolve));
  }
  async request(msg) {
    const reply = this.next();
    this.proc.send(msg);
    return reply;
  }
  close() {
    if (this.proc.connected) this.proc.send({ exit: true });
  }
}

/** Starts the children, then runs `plan` (a list of [child, message, label]) round by round. */
async function interleave(kinds, plan) {
  const children = Object.fromEntries(kinds.map((k) => [k, new Child(k)]));
  const samples = {};
  const blocks = {};
  const errors = {};
  try {
    for (const [kind, child] of Object.entries(children)) {
      const hello = await child.next();
      if (hello.error) errors[kind] = hello.error;
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [kind, msg, label] of plan) {
        if (errors[kind]) continue;
        const reply = await children[kind].request(msg);
        if (reply.error) errors[kind] = reply.error;
        else {
          (samples[label] ??= []).push(...reply.samples);
          (blocks[label] ??= []).push(median(reply.samples));
        }
      }
    }
  } finally {
    for (const child of Object.values(children)) child.close();
  }
  return { samples, blocks, errors };
}

export async function run({ gs }) {
  const target = { ratioTo: "baseline", max: 1.05, text: "≤ 1.05× plain step" };
  const none = { handwritten: null, tfjs: null, jsPytorch: null };
  if (!gs) {
    const missing = (id, workload) => ({ id, workload, unit: "ms", higherIsBetter: false, target, results: { gradscope: null, ...none } });
    return [
      missing("inspectorRecordingStepping", "MLP step, recording + backward stepping on"),
      missing("inspectorRecording", "MLP step, recording on"),
      missing("inspectorReferenced", "MLP step, surface referenced (off) vs never"),
      { ...missing("engineLoaded", "hand-written MLP step, engine loaded vs not"), compare: "handwritten" },
    ];
  }

  const engine = await interleave(["plain", "inspector"], [
    ["plain", {}, "plain"],
    ["inspector", { mode: "off" }, "off"],
    ["inspector", { mode: "recording" }, "recording"],
    ["inspector", { mode: "recordingStepping" }, "recordingStepping"],
  ]);
  const hand = await interleave(["handNoEngine", "handEngineLoaded"], [
    ["handNoEngine", {}, "noEngine"],
    ["handEngineLoaded", {}, "engineLoaded"],
  ]);

  const value = ({ samples, errors }, label, kind) =>
    errors[kind] ? { error: errors[kind] } : samples[label] ? { value: median(samples[label]), reps: samples[label].length } : null;
  const baseline = (result, name) => (result && !result.error ? { name, value: result.value } : null);
  const paired = (set, label, baseLabel) => pairedRatio(set.blocks[label], set.blocks[baseLabel]);
  const off = value(engine, "off", "inspector");
  const plain = value(engine, "plain", "plain");
  const noEngine = value(hand, "noEngine", "handNoEngine");

  return [
    { id: "inspectorRecordingStepping", workload: "MLP step, recording + backward stepping on", unit: "ms", higherIsBetter: false, target,
      results: { gradscope: value(engine, "recordingStepping", "inspector"), ...none }, baseline: baseline(off, "surface off"),
      pairedRatio: paired(engine, "recordingStepping", "off") },
    { id: "inspectorRecording", workload: "MLP step, recording on", unit: "ms", higherIsBetter: false, target,
      results: { gradscope: value(engine, "recording", "inspector"), ...none }, baseline: baseline(off, "surface off"),
      pairedRatio: paired(engine, "recording", "off") },
    { id: "inspectorReferenced", workload: "MLP step, surface referenced (off) vs never", unit: "ms", higherIsBetter: false, target,
      results: { gradscope: off, ...none }, baseline: baseline(plain, "never referenced"),
      pairedRatio: paired(engine, "off", "plain") },
    { id: "engineLoaded", workload: "hand-written MLP step, engine loaded vs not", unit: "ms", higherIsBetter: false, target,
      results: { gradscope: null, ...none, handwritten: value(hand, "engineLoaded", "handEngineLoaded") },
      baseline: baseline(noEngine, "engine not loaded"), compare: "handwritten",
      pairedRatio: paired(hand, "engineLoaded", "noEngine") },
  ];
}

if (process.argv[2] === "--child") childMain(process.argv[3]);
