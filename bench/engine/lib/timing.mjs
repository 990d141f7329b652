// Timing helpers shared by every workload: warm up, then repeat until enough samples or
// the time budget is spent, and report the median (the machines are shared and noisy,
// so means would be dominated by outliers).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
/** A full garbage collection, to start each measurement from a clean heap. */
export const gc = runInNewContext("gc");

export const now = () => performance.now();

/**
 * Times `fn` (synchronous). Returns { median, p25, p75, min, reps, samples } in ms.
 * `budgetMs` bounds the timed phase; at least `minReps` samples are always taken.
 */
export function measure(fn, { warmup = 3, minReps = 5, maxReps = 50, budgetMs = 2000 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  gc();
  const samples = [];
  const start = now();
  while (samples.length < maxReps && (samples.length < minReps || now() - start < budgetMs)) {
    const t0 = now();
    fn();
    samples.push(now() - t0);
  }
  return summarize(samples);
}

export function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { median: median(samples), p25: q(0.25), p75: q(0.75), min: s[0], reps: s.length, samples };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` and returns its result, or { error } when it throws (a library may lack an op). */
export function attempt(fn) {
  try {
    return fn();
  } catch (error) {
    return { error: shortError(error) };
  }
}

export function shortError(error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split("\n")[0].slice(0, 160);
}

/**
 * Times several functions in interleaved blocks (a, b, a, b, …) so that load changes on a
 * shared machine hit every contender alike; ratios between them are then meaningful even
 * when absolute numbers drift. `fns` maps name -> fn (null entries are skipped); returns
 * name -> summary (as `measure`) or { error } for a contender that threw.
 */
export function measureInterleaved(fns, { warmup = 3, block = 5, minRounds = 4, maxRounds = 40, budgetMs = 4000 } = {}) {
  const live = Object.entries(fns).filter(([, fn]) => fn);
  const samples = Object.fromEntries(live.map(([name]) => [name, []]));
  const blocks = Object.fromEntries(live.map(([name]) => [name, []]));
  const errors = {};
  for (const [name, fn] of live) {
    try {
      for (let i = 0; i < warmup; i++) fn();
    } catch (error) {
      errors[name] = shortError(error);
    }
  }
  gc();
  const start = now();
  for (let round = 0; round < maxRounds && (round < minRounds || now() - start < budgetMs); round++) {
    for (const [name, fn] of live) {
      if (errors[name]) continue;
      try {
        const times = [];
        for (let i = 0; i < block; i++) {
          const t0 = now();
          fn();
          times.push(now() - t0);
        }
        samples[name].push(...times);
        blocks[name].push(median(times));
      } catch (error) {
        errors[name] = shortError(error);
      }
    }
  }
  return Object.fromEntries(live.map(([name]) => [name, errors[name] ? { error: errors[name] } : { ...summarize(samples[name]), blocks: blocks[name] }]));
}

/**
 * The paired time ratio of x to y: the median over rounds of (x's block median ÷ y's block
 * median in the same round). Blocks of one round ran seconds apart, so a load change on
 * the machine cancels out; the ratio of overall medians would not cancel it.
 */
export function pairedRatio(xBlocks, yBlocks) {
  if (!xBlocks?.length || !yBlocks?.length) return null;
  const n = Math.min(xBlocks.length, yBlocks.length);
  const ratios = [];
  for (let i = 0; i < n; i++) ratios.push(xBlocks[i] / yBlocks[i]);
  return median(ratios);
}

/** Ratio of the fastest samples: what the ratio approaches on a quiet machine. */
export function bestRatio(x, y) {
  return x?.min != null && y?.min != null && !x.error && !y.error ? x.min / y.min : null;
}
