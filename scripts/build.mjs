// Builds every bundle into dist/ with esbuild. One table of entries; each part of the
// project adds its own row. `--watch` rebuilds on change.
import * as esbuild from "esbuild";
import { readFile } from "node:fs/promises";
import * as path from "node:path";

const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

/**
 * `import ... from "sucrase"` in a bundle at the top of dist/ -> the shared dist/sucrase.cjs
 * (a second copy in each of them would cost the .vsix ~60 KB apiece).
 * @type {import("esbuild").Plugin}
 */
const sharedSucrase = {
  name: "shared-sucrase",
  setup(build) {
    const outdir = build.initialOptions.outdir ?? "dist";
    for (const entry of Object.keys(build.initialOptions.entryPoints ?? {})) {
      if (path.dirname(path.join(outdir, entry)) !== path.normalize(outdir)) throw new Error(`shared-sucrase: ${entry} is not at the top of ${outdir}`);
    }
    build.onResolve({ filter: /^sucrase$/ }, () => ({ path: "./sucrase.cjs", external: true }));
  },
};

/**
 * sucrase's source maps lose their columns for the rest of a file after a template literal
 * with an empty span (`${x}` right before the closing backquote: two tokens start at one
 * offset and computeSourceColumns steps past the second). Open upstream as
 * https://github.com/alangpierce/sucrase/issues/825; until it is fixed, dist/sucrase.cjs
 * takes every token that starts at an offset. The build fails if the code it fixes changes.
 * @type {import("esbuild").Plugin}
 */
const sucraseColumnsFix = {
  name: "sucrase-columns-fix",
  setup(build) {
    build.onLoad({ filter: /[\\/]sucrase[\\/]dist[\\/]esm[\\/]computeSourceMap\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const buggy = "    if (i === currentMapping) {\n      sourceColumns[tokenIndex] = currentMapping - lineStart;\n      tokenIndex++;\n      currentMapping = tokens[tokenIndex].start;\n    }";
      if (!text.includes(buggy)) throw new Error(`sucrase-columns-fix: ${args.path} changed; check whether sucrase issue 825 is fixed`);
      const fixed = "    while (i === currentMapping) {\n      sourceColumns[tokenIndex] = currentMapping - lineStart;\n      tokenIndex++;\n      currentMapping = tokenIndex < tokens.length ? tokens[tokenIndex].start : -1;\n    }";
      return { contents: text.replace(buggy, fixed), loader: "js" };
    });
  },
};

/** @type {import("esbuild").BuildOptions[]} */
const bundles = [
  // The embedded engine, as debuggee programs import it ("gradscope"). Both module formats,
  // so ESM and CommonJS user programs load the same code. Class names survive minifying:
  // users see them (module paths, reprs like "Linear(in_features=…)", error classes).
  { entryPoints: { engine: "engine/index.ts" }, platform: "node", format: "cjs", outExtension: { ".js": ".cjs" }, keepNames: true },
  { entryPoints: { engine: "engine/index.ts" }, platform: "node", format: "esm", outExtension: { ".js": ".mjs" }, keepNames: true },
  // The graph webview page, and its layout worker (ELK + fast layered layout; always
  // minified: esbuild's readable reprint of ELK is 3.5 MB instead of 1.5 MB to parse).
  { entryPoints: { "webview/graph": "media/graph/main.ts" }, platform: "browser", format: "iife", target: "chrome120" },
  { entryPoints: { "webview/layoutWorker": "media/graph/layout/layoutWorker.ts" }, platform: "browser", format: "iife", target: "chrome120", minify: true },
  // The debug adapter, standalone: `node dist/debugAdapter.js` speaks DAP on stdio.
  { entryPoints: { debugAdapter: "src/debug/main.ts" }, platform: "node", format: "cjs", plugins: [sharedSucrase] },
  // The debuggee's loader (runs the user's .ts files in place) and its ES module hooks.
  { entryPoints: { loader: "src/debug/launch/debuggeeLoader.ts", loaderHooks: "src/debug/launch/loaderHooks.ts" }, platform: "node", format: "cjs", outExtension: { ".js": ".cjs" }, plugins: [sharedSucrase] },
  // sucrase's TS -> JS transform, one copy that the adapter, the loader and run.js share
  // (always minified: it loads in half the time).
  { entryPoints: { sucrase: "node_modules/sucrase/dist/esm/index.js" }, platform: "node", format: "cjs", outExtension: { ".js": ".cjs" }, minify: true, plugins: [sucraseColumnsFix] },
  // Runs a program without the debugger, compiled and loaded the same way (`node dist/run.js x.ts`).
  { entryPoints: { run: "src/cli/run.ts" }, platform: "node", format: "cjs", plugins: [sharedSucrase] },
  // Editor static analysis (bundles the TypeScript compiler); required lazily by the extension.
  { entryPoints: { "editor/analysis": "src/editor/analysis/index.ts" }, platform: "node", format: "cjs" },
  // The extension (VS Code provides `vscode`), with the inline debug adapter.
  { entryPoints: { extension: "src/extension.ts" }, platform: "node", format: "cjs", external: ["vscode"], plugins: [sharedSucrase] },
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
