// What both adapter benchmarks share: paths, the tests' DAP client (bundled on the fly so the
// benchmarks drive the adapter exactly as the tests do), a scratch folder and small helpers.
import * as esbuild from "esbuild";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const adapter = path.join(root, "dist/debugAdapter.js");
export const fixtures = path.join(root, "test/adapter/fixtures");
export const runs = Number(process.env.BENCH_RUNS ?? 5);

/** A fresh scratch folder and the DAP client class bundled into it. */
export async function setUpBench(prefix) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), prefix));
  await esbuild.build({
    entryPoints: [path.join(root, "test/adapter/dapClient.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    packages: "external",
    outfile: path.join(scratch, "dapClient.cjs"),
    logLevel: "silent",
  });
  const { DapClient } = createRequire(import.meta.url)(path.join(scratch, "dapClient.cjs"));
  return { scratch, DapClient };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
