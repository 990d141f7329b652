// Builds every bundle into dist/ with esbuild. One table of entries; each part of the
// project adds its own row. `--watch` rebuilds on change.
import * as esbuild from "esbuild";

const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

/** @type {import("esbuild").BuildOptions[]} */
const bundles = [
  // The embedded engine, as debuggee programs import it ("gradscope"). Both module formats,
  // so ESM and CommonJS user programs load the same code.
  { entryPoints: { engine: "engine/index.ts" }, platform: "node", format: "cjs", outExtension: { ".js": ".cjs" } },
  { entryPoints: { engine: "engine/index.ts" }, platform: "node", format: "esm", outExtension: { ".js": ".mjs" } },
  // The graph webview page, and its layout worker (ELK + fast layered layout; always
  // minified: esbuild's readable reprint of ELK is 3.5 MB instead of 1.5 MB to parse).
  { entryPoints: { "webview/graph": "media/graph/main.ts" }, platform: "browser", format: "iife", target: "chrome120" },
  { entryPoints: { "webview/layoutWorker": "media/graph/layout/layoutWorker.ts" }, platform: "browser", format: "iife", target: "chrome120", minify: true },
  // The debug adapter, standalone: `node dist/debugAdapter.js` speaks DAP on stdio.
  // esbuild stays external (native binary, resolved from node_modules at run time).
  { entryPoints: { debugAdapter: "src/debug/main.ts" }, platform: "node", format: "cjs", external: ["esbuild"] },
  // Runs a program without the debugger, transpiled the same way (`node dist/run.js x.ts`).
  { entryPoints: { run: "src/cli/run.ts" }, platform: "node", format: "cjs", external: ["esbuild"] },
  // Editor static analysis (bundles the TypeScript compiler); required lazily by the extension.
  { entryPoints: { "editor/analysis": "src/editor/analysis/index.ts" }, platform: "node", format: "cjs" },
  // The extension (VS Code provides `vscode`; esbuild has a native binary and ships beside it).
  { entryPoints: { extension: "src/extension.ts" }, platform: "node", format: "cjs", external: ["vscode", "esbuild"] },
  // The integration suite that runs inside a real VS Code (mocha bundled in).
  // Mocha's parallel mode (unused here) resolves worker files at run time; esbuild warns about it.
  { entryPoints: { "test/integration": "test/integration/suite/index.ts" }, platform: "node", format: "cjs", external: ["vscode"], logOverride: { "require-resolve-not-external": "silent" } },
];

const common = {
  bundle: true,
  outdir: "dist",
  sourcemap: true,
  target: "node20",
  minify: production,
  logLevel: "warning",
};

// dist/ is not emptied first: esbuild overwrites every output, and a build that deleted the
// folder would break a test run (or a second build) reading it at the same moment.
for (const options of bundles) {
  const merged = { ...common, ...options };
  if (watch) await (await esbuild.context(merged)).watch();
  else await esbuild.build(merged);
}
if (!watch) console.log(`built ${bundles.length} bundles into dist/`);
