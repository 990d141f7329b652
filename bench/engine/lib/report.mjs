// Turns workload rows into ratios, pass/fail and a markdown table.
//
// A row: { id, workload, unit, higherIsBetter, results: { gradscope, handwritten, tfjs,
// jsPytorch } (each { value, note? } | { error } | null when the library is absent),
// target: { op: "<=" | ">=", value } | { ratioTo: "handwritten" | "baseline", max } | null,
// baseline?: { name, value }, compare?: which result is compared (default gradscope) }.

const LIBS = [
  ["gradscope", "Gradscope"],
  ["handwritten", "hand-written"],
  ["tfjs", "tfjs (cpu)"],
  ["jsPytorch", "js-pytorch"],
];

/** Adds `ratio` (time ratio; > 1 means slower than the reference) and `pass`. */
export function evaluate(row) {
  const subject = row.results[row.compare ?? "gradscope"];
  const v = subject && !subject.error ? subject.value : null;
  const hand = row.results.handwritten;
  const h = hand && !hand.error ? hand.value : null;
  let ratio = null;
  let ratioTo = null;
  if (row.pairedRatio != null && v != null) {
    // Measured interleaved with its reference: the load-robust paired ratio.
    ratio = row.pairedRatio;
    ratioTo = row.baseline?.name ?? "hand-written";
  } else if (row.baseline && v != null) {
    ratio = v / row.baseline.value;
    ratioTo = row.baseline.name;
  } else if (v != null && h != null && row.compare !== "handwritten") {
    ratio = row.higherIsBetter ? h / v : v / h;
    ratioTo = "hand-written";
  }
  let pass = null;
  const t = row.target;
  if (t && v != null) {
    if (t.op === "<=") pass = v <= t.value;
    else if (t.op === ">=") pass = v >= t.value;
    else if (t.ratioTo && ratio != null) pass = ratio <= t.max;
  }
  // Each other library relative to Gradscope, for the JSON (time ratio, > 1 = slower).
  const vsGradscope = {};
  const g = row.results.gradscope;
  if (g && !g.error) {
    for (const [key] of LIBS.slice(1)) {
      const r = row.results[key];
      if (r && !r.error) vsGradscope[key] = row.higherIsBetter ? g.value / r.value : r.value / g.value;
    }
  }
  return { ...row, ratio, ratioTo, pass, vsGradscope };
}

export function formatValue(value, unit) {
  if (value == null || Number.isNaN(value)) return "—";
  if (unit === "GFLOP/s") return value.toFixed(2);
  if (unit === "MB") return value.toFixed(0);
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatTable(report) {
  const notes = [];
  const footnote = (text) => {
    let i = notes.indexOf(text);
    if (i < 0) i = notes.push(text) - 1;
    return `[${i + 1}]`;
  };
  const cell = (row, key) => {
    const r = row.results[key];
    if (r == null) {
      const reason = report.missing?.[key];
      return reason && !(row.baseline && key !== (row.compare ?? "gradscope")) ? footnote(`${key}: ${reason}`) : "—";
    }
    if (r.error) return `✗ ${footnote(r.error)}`;
    return `${formatValue(r.value, row.unit)}${r.note ? ` ${footnote(r.note)}` : ""}`;
  };
  const header = ["workload", "unit", ...LIBS.map(([, label]) => label), "ratio", "target", "pass?"];
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map((h, i) => (i < 2 ? "---" : "---:")).join(" | ")} |`,
  ];
  for (const row of report.rows) {
    let ratio = "—";
    if (row.ratio != null) {
      ratio = `${row.ratio.toFixed(2)}×`;
      if (row.bestRatio != null) ratio += ` (best ${row.bestRatio.toFixed(2)}×)`;
      if (row.baseline) ratio += ` vs ${row.baseline.name} ${formatValue(row.baseline.value, row.unit)}`;
    }
    const pass = row.pass == null ? "—" : row.pass ? "yes" : "**no**";
    lines.push(`| ${[row.workload, row.unit, ...LIBS.map(([key]) => cell(row, key)), ratio, row.target?.text ?? "—", pass].join(" | ")} |`);
  }
  lines.push("");
  lines.push("ratio: Gradscope's time ÷ the reference's time (> 1 = slower; for GFLOP/s the inverse of the rate ratio). Where the two ran interleaved in blocks (matmul, MLP, elementwise, inspector rows) it is the paired ratio: the median over rounds of the per-round ratio of block medians, which cancels load drift on a shared machine; \"best\" is the ratio of the fastest samples, what the ratio approaches on a quiet machine. Values are medians.");
  notes.forEach((n, i) => lines.push(`[${i + 1}] ${n}`));
  return lines.join("\n");
}
