// The extension loads the analysis bundle lazily from dist/editor/analysis.js (keeping the
// TypeScript compiler out of dist/extension.js). Checked here against a stand-in bundle.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lazyAnalysis } from "../../../src/editor/static/loadAnalysis";

describe("lazyAnalysis", () => {
  it("requires <dist>/editor/analysis.js on first use only", () => {
    const dist = mkdtempSync(join(tmpdir(), "gradscope-editor-dist-"));
    mkdirSync(join(dist, "editor"));
    const bundle = join(dist, "editor", "analysis.js");
    writeFileSync(bundle, `globalThis.__gradscopeAnalysisLoads = (globalThis.__gradscopeAnalysisLoads ?? 0) + 1;\nexports.analyzeSource = (text) => ({ findings: [], describeAt: () => "stand-in:" + text });\n`);
    const loads = () => (globalThis as { __gradscopeAnalysisLoads?: number }).__gradscopeAnalysisLoads ?? 0;
    const before = loads();
    const analyse = lazyAnalysis(dist);
    expect(loads()).toBe(before);
    expect(analyse()("x", "a.ts").describeAt(0)).toBe("stand-in:x");
    analyse();
    expect(loads()).toBe(before + 1);
  });
});
