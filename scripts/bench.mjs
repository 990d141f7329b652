// `npm run bench`: builds, installs the bench's own dependencies if needed, then runs every
// benchmark suite that exists and prints their tables. Benchmarks report; they never fail
// on a timing threshold (the machines are shared and noisy). The exit code is non-zero
// only when the build, the install or a suite itself fails to run.
//
//   npm run bench                 all suites
//   npm run bench -- engine       only the named suites (engine, adapter, webview, editor)
//   npm run bench -- --no-build   skip `npm run build`
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SUITES = ["engine", "adapter", "webview", "editor"];

const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith("--"));
const suites = wanted.length ? SUITES.filter((s) => wanted.includes(s)) : SUITES;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function step(title, command, commandArgs, options = {}) {
  console.error(`\n[bench] ${title}: ${command} ${commandArgs.join(" ")}`);
  // Progress and tool output go to stderr, so stdout carries only the tables.
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: ["ignore", 2, "inherit"], ...options });
  if (result.status !== 0) console.error(`[bench] ${title} failed (${result.status ?? result.signal})`);
  return result;
}

let failed = false;

if (!args.includes("--no-build")) {
  // A failed build is reported, and the suites still run: the engine suite then shows
  // Gradscope as "not built" next to the other libraries' numbers.
  if (step("build", npm, ["run", "build"]).status !== 0) failed = true;
}

if (!existsSync(resolve(root, "bench/node_modules"))) {
  // --ignore-scripts: js-pytorch's optional `gl` dependency cannot compile here.
  if (step("install bench dependencies", npm, ["ci", "--ignore-scripts", "--prefix", "bench"]).status !== 0) failed = true;
}

const tables = [];
for (const suite of suites) {
  const entry = resolve(root, "bench", suite, "run.mjs");
  if (!existsSync(entry)) {
    console.error(`[bench] ${suite}: no bench/${suite}/run.mjs, skipped`);
    continue;
  }
  const result = step(`suite ${suite}`, process.execPath, [entry], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (result.status !== 0) failed = true;
  tables.push({ suite, output: (result.stdout ?? "").trim(), status: result.status });
}

console.log("");
for (const { suite, output, status } of tables) {
  console.log(`## ${suite}${status === 0 ? "" : ` (exited ${status})`}\n`);
  console.log(output || "(no output)");
  console.log("");
}
process.exitCode = failed ? 1 : 0;
