// What both adapter benchmarks share: paths, the tests' DAP client (bundled on the fly so the
// benchmarks drive the adapter exactly as the tests do), a scratch folder and small helpers.
import * as esbuild from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const adapter = path.join(root, "dist/debugAdapter.js");
export const fixtures = path.join(root, "test/adapter/fixtures");
export const runs = Number(process.env.BENCH_RUNS ?? 5);

/** A fresh scratch folder, and bundled into it the DAP client class and the graph snapshot's decoder. */
export async function setUpBench(prefix) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), prefix));
  await esbuild.build({
    entryPoints: { dapClient: path.join(root, "test/adapter/dapClient.ts"), compactSnapshot: path.join(root, "src/protocol/compactSnapshot.ts") },
    bundle: true,
    platform: "node",
    format: "cjs",
    packages: "external",
    outdir: scratch,
    outExtension: { ".js": ".cjs" },
    logLevel: "silent",
  });
  const load = createRequire(import.meta.url);
  const { DapClient } = load(path.join(scratch, "dapClient.cjs"));
  const { decodeGraphSnapshot } = load(path.join(scratch, "compactSnapshot.cjs"));
  return { scratch, DapClient, decodeGraphSnapshot };
}

/**
 * One `next` and what a user waits for after it: stopped, then stackTrace, scopes and the
 * variables of the scope named `scopeName` (the first scope when omitted), timed together.
 */
export async function timedStep(client, scopeName) {
  const t0 = performance.now();
  const stopped = client.waitForEvent("stopped");
  await client.request("next", { threadId: 1 });
  await stopped;
  const trace = await client.request("stackTrace", { threadId: 1, startFrame: 0, levels: 20 });
  const top = trace.body.stackFrames[0];
  const scopes = await client.request("scopes", { frameId: top.id });
  const scope = scopeName ? scopes.body.scopes.find((s) => s.name === scopeName) : scopes.body.scopes[0];
  const vars = await client.request("variables", { variablesReference: scope.variablesReference });
  return { ms: performance.now() - t0, top, variables: vars.body.variables };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The 1-minute load average: on a shared machine it says how far to trust the other numbers. */
export const loadAverage = () => Number(os.loadavg()[0].toFixed(2));

/** 1-based line of the `// @mark:<mark>` comment in a fixture. */
export const lineOf = (file, mark) => readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(`@mark:${mark}`)) + 1;

/** The program as one CommonJS file importing the built engine: the plain-node baseline. */
export async function transpileForPlainNode(program, scratch) {
  const outfile = path.join(scratch, `${path.basename(program, path.extname(program))}.cjs`);
  await esbuild.build({
    entryPoints: [program],
    bundle: true,
    platform: "node",
    format: "cjs",
    sourcemap: "linked",
    outfile,
    logLevel: "silent",
    plugins: [{ name: "engine", setup: (b) => b.onResolve({ filter: /^gradscope$/ }, () => ({ path: path.join(root, "dist/engine.cjs"), external: true })) }],
  });
  return outfile;
}

/**
 * Launches a program on `client`'s adapter with no breakpoints (the autogradErrors filter as
 * VS Code sends it by default; `configure` adds requests before configurationDone) and waits
 * for it to exit: the milliseconds from the launch request to the exited event.
 */
export async function launchToExit(client, launch, configure = async () => {}) {
  await client.request("initialize", { adapterID: "gradscope", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
  const t0 = performance.now();
  const exited = client.waitForEvent("exited", () => true, 120_000);
  void client.send("launch", { type: "gradscope", request: "launch", ...launch });
  await client.waitForEvent("initialized");
  await configure(client);
  await client.request("setExceptionBreakpoints", { filters: ["autogradErrors"] });
  await client.request("configurationDone");
  await exited;
  return performance.now() - t0;
}

/**
 * test/adapter/fixtures/mlp.ts under plain node and under the adapter (no stops), alternating:
 * wall times (launch included) and the training loop's own time it prints. `configure` adds
 * requests (breakpoints) before configurationDone.
 */
export async function compareMlp(DapClient, scratch, configure = async () => {}) {
  const program = path.join(fixtures, "mlp.ts");
  const transpiled = await transpileForPlainNode(program, scratch);
  const trainMs = (text) => Number(/train ms ([\d.]+)/.exec(text)?.[1]);
  const plain = [];
  const debugged = [];
  const plainTrain = [];
  const debuggedTrain = [];
  // At least 7 pairs: plain node's own start-up alone varies by ±25 ms between runs here.
  for (let i = 0; i < Math.max(7, runs); i++) {
    let t0 = performance.now();
    const result = spawnSync(process.execPath, ["--enable-source-maps", transpiled], { encoding: "utf8" });
    plain.push(performance.now() - t0);
    if (!result.stdout.includes("final loss")) throw new Error(`plain run failed: ${result.stderr}`);
    plainTrain.push(trainMs(result.stdout));

    const client = new DapClient({}, adapter);
    debugged.push(await launchToExit(client, { program }, configure));
    if (!client.outputText("stdout").includes("final loss")) throw new Error("debugged run failed");
    debuggedTrain.push(trainMs(client.outputText("stdout")));
    await client.close();
  }
  return { plain, debugged, plainTrain, debuggedTrain };
}
