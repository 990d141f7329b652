/**
 * The analysis bundles the TypeScript compiler (megabytes of JavaScript). It is built as its
 * own bundle, dist/editor/analysis.js (scripts/build.mjs), and required on first use, so
 * activating the extension (e.g. only to debug) never pays for loading it.
 */
import * as path from "node:path";
import type * as AnalysisModule from "../analysis/index";
import type { Analyse } from "./documents";

/** `distDir` is the extension's dist/ folder (where dist/extension.js runs). */
export function lazyAnalysis(distDir: string): () => Analyse {
  let loaded: typeof AnalysisModule | undefined;
  return () => {
    // A computed path, so that esbuild leaves this require alone instead of inlining the compiler.
    loaded ??= require(path.join(distDir, "editor", "analysis.js")) as typeof AnalysisModule;
    return loaded.analyzeSource;
  };
}
