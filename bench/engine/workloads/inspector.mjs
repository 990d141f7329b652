// Workload 5: what the debugger's inspection surface costs when no debugger stops.
//
// The Gradscope MLP step (workload 2) runs in four child processes, each in one fixed mode
// for its whole life (switching modes inside one process would leave the JIT's code shaped
// by the other mode, which is not what a user's program sees):
//   - "plain": never references globalThis[Symbol.for("gradscope.inspector")];
//   - "referenced": reads the surface (as an attaching adapter does) but turns nothing on;
//   - "recording": setRecording(true);
//   - "recordingStepping": setRecording(true) + setBackwardStepping(true) (the per-node
//     hook is called, nothing breaks in it).
// Separately, the hand-written step runs in a process that never loads the engine and in
// one that has required it (and does nothing else with it).
//
// The parent drives the children over IPC in interleaved blocks (plain, referenced,
// recording, recording+stepping, plain, …) so that load changes on a shared machine hit
// every variant alike, even across processes. Ratios are paired (per round) against
// "plain" and "engine not loaded", per set of fresh processes; the median over sets is
// reported, since one process can run lastingly faster than another (code and heap layout).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gradscopeMlp, handwrittenMlp } from "./mlp.mjs";
import { loadGradscope } from "../lib/libs.mjs";
import { median, gc, now, shortError, pairedRatio } from "../lib/timing.mjs";

const INSPECTOR = Symbol.for("gradscope.inspector");
const SETS = 3; // fresh processes per variant: one process can be lastingly faster or slower than another
const ROUNDS = 6; // per set
const BLOCK = 8; // timed steps per block
const WARMUP = 2; // untimed steps before each block (the process was idle meanwhile)
const REPLY_TIMEOUT_MS = 120_000;

// ---- child side ----

function engineStep() {
  const { lib: gs, reason } = loadGradscope();
  if (!gs) throw new Error(reason);
  return gradscopeMlp(gs);
}

function inspectorSurface() {
  const inspector = globalThis[INSPECTOR];
  if (!inspector || typeof inspector.setRecording !== "function" || typeof inspector.setBackwardStepping !== "function") {
    throw new Error('engine exposes no inspector with setRecording/setBackwardStepping on Symbol.for("gradscope.inspector")');
  }
  return inspector;
}

const setups = {
  plain() {
    return { step: engineStep() };
  },
  referenced() {
    const step = engineStep();
    const inspector = inspectorSurface();
    inspector.backwardState();
    return { step };
  },
  recording() {
    const step = engineStep();
    inspectorSurface().setRecording(true);
    return { step };
  },
  recordingStepping() {
    const step = engineStep();
    const inspector = inspectorSurface();
    inspector.setRecording(true);
    inspector.setBackwardStepping(true);
    return { step };
  },
  handNoEngine() {
    return { step: handwrittenMlp() };
  },
  handEngineLoaded() {
    engineStep();
    return { step: handwrittenMlp() };
  },
};

function childMain(kind) {
  let setup;
  try {
    setup = setups[kind]();
    for (let i = 0; i < 15; i++) setup.step();
    gc();
    process.send({ ready: true });
  } catch (error) {
    process.send({ error: shortError(error) });
    return;
  }
  process.on("message", (msg) => {
    if (msg.exit) {
      process.disconnect();
      return;
    }
    try {
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
    this.inbox = []; // messages that arrived before anyone asked
    this.waiting = null;
    this.proc.on("message", (msg) => this.deliver(msg));
    this.proc.on("exit", (code) => {
      this.exited = { error: `child ${kind} exited ${code}: ${this.stderr.trim().split("\n").pop() ?? ""}`.slice(0, 160) };
      this.deliver(this.exited);
    });
  }
  deliver(msg) {
    const w = this.waiting;
    this.waiting = null;
    if (w) w(msg);
    else this.inbox.push(msg);
  }
  next() {
    if (this.inbox.length) return Promise.resolve(this.inbox.shift());
    if (this.exited) return Promise.resolve(this.exited);
    return new Promise((resolve) => {
      // A child that stops answering must not hang the whole benchmark.
      const timer = setTimeout(() => {
        this.waiting = null;
        this.proc.kill("SIGKILL");
        resolve({ error: `child ${this.kind} did not answer within ${REPLY_TIMEOUT_MS / 1000} s` });
      }, REPLY_TIMEOUT_MS);
      this.waiting = (msg) => {
        clearTimeout(timer);
        resolve(msg);
      };
    });
  }
  async request(msg) {
    if (this.exited) return this.exited;
    this.proc.send(msg);
    return this.next();
  }
  close() {
    if (this.proc.connected) this.proc.send({ exit: true });
  }
}

/**
 * Runs `plan` (a list of [kind, message, label]) in SETS sets, each with fresh child
 * processes. Returns all samples per label, and per set the paired ratio of each label to
 * `base`; the reported ratio is the median over sets.
 */
async function interleaveSets(kinds, plan, base) {
  const samples = {};
  const errors = {};
  const ratios = {};
  for (let set = 0; set < SETS; set++) {
    const one = await interleave(kinds, plan);
    Object.assign(errors, one.errors);
    for (const [label, list] of Object.entries(one.samples)) (samples[label] ??= []).push(...list);
    for (const label of Object.keys(one.blocks)) {
      const r = pairedRatio(one.blocks[label], one.blocks[base]);
      if (r != null) (ratios[label] ??= []).push(r);
    }
  }
  return { samples, errors, ratio: (label) => (ratios[label]?.length ? median(ratios[label]) : null), ratios };
}

/** Starts the children, then runs `plan` round by round. */
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
      // Rotate who goes first each round, so no variant always follows the same one.
      const order = plan.map((_, i) => plan[(i + round) % plan.length]);
      for (const [kind, msg, label] of order) {
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
      missing("inspectorReferenced", "MLP step, surface referenced, all off"),
      { ...missing("engineLoaded", "hand-written MLP step, engine loaded vs not"), compare: "handwritten" },
    ];
  }

  const engine = await interleaveSets(["plain", "referenced", "recording", "recordingStepping"], [
    ["plain", {}, "plain"],
    ["referenced", {}, "referenced"],
    ["recording", {}, "recording"],
    ["recordingStepping", {}, "recordingStepping"],
  ], "plain");
  const hand = await interleaveSets(["handNoEngine", "handEngineLoaded"], [
    ["handNoEngine", {}, "handNoEngine"],
    ["handEngineLoaded", {}, "handEngineLoaded"],
  ], "handNoEngine");

  const value = ({ samples, errors }, label) =>
    errors[label] ? { error: errors[label] } : samples[label] ? { value: median(samples[label]), reps: samples[label].length } : null;
  const baseline = (result, name) => (result && !result.error ? { name, value: result.value } : null);
  const plain = baseline(value(engine, "plain"), "never referenced");
  const row = (id, workload, label) => ({
    id, workload, unit: "ms", higherIsBetter: false, target,
    results: { gradscope: value(engine, label), ...none }, baseline: plain,
    pairedRatio: engine.ratio(label), ratiosPerSet: engine.ratios[label],
    bestRatio: engine.samples[label] && engine.samples.plain ? Math.min(...engine.samples[label]) / Math.min(...engine.samples.plain) : null,
  });

  return [
    row("inspectorRecordingStepping", "MLP step, recording + backward stepping on", "recordingStepping"),
    row("inspectorRecording", "MLP step, recording on", "recording"),
    row("inspectorReferenced", "MLP step, surface referenced, all off", "referenced"),
    { id: "engineLoaded", workload: "hand-written MLP step, engine loaded vs not", unit: "ms", higherIsBetter: false, target,
      results: { gradscope: null, ...none, handwritten: value(hand, "handEngineLoaded") },
      baseline: baseline(value(hand, "handNoEngine"), "engine not loaded"), compare: "handwritten",
      pairedRatio: hand.ratio("handEngineLoaded"), ratiosPerSet: hand.ratios.handEngineLoaded,
      bestRatio: hand.samples.handEngineLoaded && hand.samples.handNoEngine
        ? Math.min(...hand.samples.handEngineLoaded) / Math.min(...hand.samples.handNoEngine) : null },
  ];
}

if (process.argv[2] === "--child") childMain(process.argv[3]);
