// Workload 3: a 100,000-iteration scalar chain y = y*1.0001 + 0.0001 (200,000 ops), then
// backward. Forward ms, backward ms and the peak RSS of a fresh process per library
// (process.resourceUsage().maxRSS), so each library's memory is its own.
//
// `node scalarChain.mjs --child <lib>` is the child: it warms up on a short chain, runs
// the full chain `reps` times and prints one JSON line.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chainForward, chainBackward } from "../handwritten/scalarChain.mjs";
import { loadGradscope, loadTfjs, loadJsPytorch } from "../lib/libs.mjs";
import { now, median, gc, shortError } from "../lib/timing.mjs";

export const N = 100_000;
const MUL = 1.0001;
const ADD = 0.0001;
// tfjs takes seconds per pass here: run it once. js-pytorch's backward recurses per node.
const REPS = { handwritten: 5, gradscope: 5, tfjs: 1, jsPytorch: 1 };
const CHILD_TIMEOUT_MS = 150_000;

/** Per library: build(n) -> { forward(): y, backward(y): dx } with the timed parts split. */
const contenders = {
  async handwritten() {
    return {
      forward: (n) => chainForward(1, n, MUL, ADD),
      backward: (tape) => chainBackward(tape),
    };
  },
  async gradscope() {
    const { lib: gs, reason } = loadGradscope();
    if (!gs) throw new Error(reason);
    let x;
    return {
      forward(n) {
        x = gs.tensor(1, { requiresGrad: true });
        let y = x;
        for (let i = 0; i < n; i++) y = y.mul(MUL).add(ADD);
        return y;
      },
      backward(y) {
        y.backward();
        return x.grad.item();
      },
    };
  },
  async tfjs() {
    const { lib: tf, reason } = await loadTfjs();
    if (!tf) throw new Error(reason);
    // tfjs records its tape only inside a gradient function, so forward and backward are
    // timed inside one tf.valueAndGrad call: forward = the chain itself, backward = the rest.
    let forwardMs = 0;
    return {
      forward: null,
      both(n) {
        const f = (x) => {
          const t0 = now();
          let y = x;
          for (let i = 0; i < n; i++) y = tf.add(tf.mul(y, MUL), ADD);
          forwardMs = now() - t0;
          return y;
        };
        const t0 = now();
        const { value, grad } = tf.valueAndGrad(f)(tf.scalar(1));
        const dx = grad.dataSync()[0];
        const total = now() - t0;
        value.dispose(); grad.dispose();
        return { forwardMs, backwardMs: total - forwardMs, dx };
      },
    };
  },
  async jsPytorch() {
    const { lib: jt, reason } = await loadJsPytorch();
    if (!jt) throw new Error(reason);
    let x;
    return {
      forward(n) {
        x = jt.tensor([1], true);
        let y = x;
        for (let i = 0; i < n; i++) y = y.mul(MUL).add(ADD);
        return y;
      },
      backward(y) {
        y.backward();
        return x.grad[0];
      },
    };
  },
};

async function child(name) {
  const out = { lib: name };
  try {
    const c = await contenders[name]();
    const once = (n) => {
      if (c.both) return c.both(n);
      const t0 = now();
      const y = c.forward(n);
      const t1 = now();
      if (n === N) out.forwardMsBeforeError = t1 - t0; // reported if backward then fails
      const dx = c.backward(y);
      return { forwardMs: t1 - t0, backwardMs: now() - t1, dx };
    };
    // Warm up the JIT on short chains.
    for (let i = 0; i < 3; i++) once(1000);
    const fwd = [];
    const bwd = [];
    let dx;
    out.phase = "timed run";
    for (let r = 0; r < REPS[name]; r++) {
      gc();
      const t = once(N);
      fwd.push(t.forwardMs);
      bwd.push(t.backwardMs);
      dx = t.dx;
    }
    Object.assign(out, { forwardMs: median(fwd), backwardMs: median(bwd), reps: fwd.length, dx });
  } catch (error) {
    out.error = error instanceof RangeError ? `${shortError(error)} (in ${out.phase ?? "warm-up"})` : shortError(error);
  }
  out.peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`\n${JSON.stringify(out)}\n`);
}

function runChild(name) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", name], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (d) => (stdout += d));
    proc.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    proc.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").pop();
      try {
        resolve(JSON.parse(line));
      } catch {
        const why = signal === "SIGKILL" ? `timed out after ${CHILD_TIMEOUT_MS / 1000} s` : `exited ${code ?? signal}`;
        const last = stderr.trim().split("\n").filter(Boolean).slice(-1)[0] ?? "";
        resolve({ lib: name, error: `${why} ${last}`.trim().slice(0, 160) });
      }
    });
  });
}

export async function run({ gs, tf, jt }) {
  const present = { handwritten: true, gradscope: !!gs, tfjs: !!tf, jsPytorch: !!jt };
  const raw = {};
  for (const name of Object.keys(contenders)) raw[name] = present[name] ? await runChild(name) : null;
  const pick = (key) => Object.fromEntries(Object.entries(raw).map(([lib, r]) => {
    if (!r) return [lib, null];
    const value = r[key] ?? (key === "forwardMs" ? r.forwardMsBeforeError : undefined);
    return [lib, value == null ? { error: r.error } : { value, reps: r.reps, ...(r.error ? { note: r.error } : {}) }];
  }));
  // dy/dx = 1.0001^N ≈ e^10; float32 rounding over 200k ops moves it by ~0.1%, so only a
  // gradient more than 1% off is flagged as wrong.
  const expected = MUL ** N;
  for (const r of Object.values(raw)) {
    if (r && r.dx != null && Math.abs(r.dx - expected) > 0.01 * expected) {
      r.error = `${r.error ? `${r.error}; ` : ""}dx ${r.dx} is not 1.0001^${N} = ${expected.toFixed(1)}`;
    }
  }
  const iters = N.toLocaleString("en-US");
  return [
    { id: "chainForward", workload: `scalar chain ${iters} iters, forward`, unit: "ms", higherIsBetter: false,
      results: pick("forwardMs"), target: { op: "<=", value: 150, text: "≤ 150 ms" } },
    { id: "chainBackward", workload: `scalar chain ${iters} iters, backward`, unit: "ms", higherIsBetter: false,
      results: pick("backwardMs"), target: { op: "<=", value: 100, text: "≤ 100 ms" } },
    { id: "chainPeakRss", workload: "scalar chain, peak RSS of its process", unit: "MB", higherIsBetter: false,
      results: pick("peakRssMB"), target: { op: "<=", value: 300, text: "≤ 300 MB" } },
  ];
}

if (process.argv[2] === "--child") await child(process.argv[3]);
