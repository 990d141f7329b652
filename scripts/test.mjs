// `npm test`: type check and every test layer, in order, then one summary line
// ("Tests: N passed, N failed") counting them all:
//   1. unit + adapter + webview (vitest)      3. end-to-end in the workbench (vitest + Playwright)
//   2. integration inside real VS Code (mocha in code-server)
// Layers 2 and 3 install code-server into ~/.cache/gradscope on first use (Debian packages as root).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const out = path.join(root, "test-output");
mkdirSync(out, { recursive: true });
const skipWorkbench = process.argv.includes("--no-workbench");

let passed = 0;
let failed = 0;
const failures = [];

function run(label, command, args) {
  process.stdout.write(`\n=== ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: process.env });
  return result.status === 0;
}

function countVitest(label, jsonFile, ok) {
  if (!existsSync(jsonFile)) {
    failed++;
    failures.push(`${label}: no results`);
    return;
  }
  const report = JSON.parse(readFileSync(jsonFile, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (!ok && report.numFailedTests === 0) {
    failed++;
    failures.push(`${label}: the runner failed outside any test`);
  }
}

const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
if (!run("build", process.execPath, ["scripts/build.mjs"])) process.exit(1);
if (!run("type check", process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--noEmit"])) {
  failures.push("type check");
  failed++;
}

const unitJson = path.join(out, "vitest.json");
const unitOk = run("unit, adapter and webview tests (vitest)", process.execPath, [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${unitJson}`]);
countVitest("vitest", unitJson, unitOk);

if (!skipWorkbench) {
  const integrationJson = path.join(out, "integration.json");
  const integrationOk = run("integration tests inside VS Code (code-server)", process.execPath, ["test/integration/runInCodeServer.mjs", `--results=${integrationJson}`]);
  if (existsSync(integrationJson)) {
    const counts = JSON.parse(readFileSync(integrationJson, "utf8"));
    passed += counts.passed;
    failed += counts.failed;
  } else {
    failed++;
    failures.push("integration: no results");
  }
  if (!integrationOk) failures.push("integration");

  const e2eJson = path.join(out, "e2e.json");
  const e2eOk = run("end-to-end in the workbench (Playwright)", process.execPath, [vitest, "run", "-c", "vitest.workbench.config.mts", "--reporter=default", "--reporter=json", `--outputFile.json=${e2eJson}`]);
  countVitest("e2e", e2eJson, e2eOk);
}

if (failures.length) process.stdout.write(`\nproblems: ${failures.join("; ")}\n`);
process.stdout.write(`\nTests: ${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
