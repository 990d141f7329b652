// The editor glue that needs no VS Code: which documents are analysed, the per-version cache, the debouncer.
import { afterEach, describe, expect, it, vi } from "vitest";
import { analyzeSource } from "../../../src/editor/analysis/index";
import { type AnalysableDocument, DocumentAnalyses, shouldAnalyse } from "../../../src/editor/static/documents";
import { KeyedDebouncer } from "../../../src/editor/static/debounce";

function document(text: string, version = 1, languageId = "typescript", uri = "file:///a.ts"): AnalysableDocument {
  return { uri: { scheme: uri.split(":")[0], toString: () => uri }, version, languageId, fileName: "/a.ts", getText: () => text };
}

const PROGRAM = `import { tensor } from "gradscope";\nconst w = tensor([1], { requiresGrad: true });\nconst y = w.mul(2);\ny.requiresGrad = false;\n`;

describe("shouldAnalyse", () => {
  it("analyses TypeScript documents that mention gradscope, and nothing else", () => {
    expect(shouldAnalyse(document(PROGRAM))).toBe(true);
    expect(shouldAnalyse(document(PROGRAM, 1, "typescriptreact"))).toBe(true);
    expect(shouldAnalyse(document("const x = 1;"))).toBe(false);
    expect(shouldAnalyse(document(PROGRAM, 1, "markdown"))).toBe(false);
    expect(shouldAnalyse(document(PROGRAM, 1, "typescript", "untitled:Untitled-1"))).toBe(true);
    expect(shouldAnalyse(document(PROGRAM, 1, "typescript", "git:/a.ts?ref=HEAD"))).toBe(false);
  });
});

describe("DocumentAnalyses", () => {
  it("analyses each document version once and shares the result", () => {
    const analyse = vi.fn(analyzeSource);
    const analyses = new DocumentAnalyses(() => analyse);
    const first = analyses.get(document(PROGRAM, 1));
    expect(first?.findings).toHaveLength(1);
    expect(analyses.get(document(PROGRAM, 1))).toBe(first);
    expect(analyse).toHaveBeenCalledTimes(1);
    analyses.get(document(PROGRAM.replace("w.mul(2)", "w.detach()"), 2));
    expect(analyse).toHaveBeenCalledTimes(2);
  });

  it("does not load the analysis for documents it skips", () => {
    const load = vi.fn(() => analyzeSource);
    const analyses = new DocumentAnalyses(load);
    expect(analyses.get(document("const x = 1;"))).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
  });

  it("forgets closed documents, and survives an analysis that throws", () => {
    const analyses = new DocumentAnalyses(() => () => { throw new Error("bug"); });
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(analyses.get(document(PROGRAM))).toBeUndefined();
    expect(quiet).toHaveBeenCalled();
    quiet.mockRestore();
    analyses.forget(document(PROGRAM));
  });
});

describe("KeyedDebouncer", () => {
  afterEach(() => vi.useRealTimers());

  it("runs only the last request per key after the delay", () => {
    vi.useFakeTimers();
    const debouncer = new KeyedDebouncer<string>(100);
    const runs: string[] = [];
    debouncer.schedule("a", () => runs.push("a1"));
    vi.advanceTimersByTime(50);
    debouncer.schedule("a", () => runs.push("a2"));
    debouncer.schedule("b", () => runs.push("b1"));
    vi.advanceTimersByTime(99);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual(["a2", "b1"]);
  });

  it("cancels per key and on dispose", () => {
    vi.useFakeTimers();
    const debouncer = new KeyedDebouncer<string>(10);
    const runs: string[] = [];
    debouncer.schedule("a", () => runs.push("a"));
    debouncer.schedule("b", () => runs.push("b"));
    debouncer.cancel("a");
    debouncer.dispose();
    vi.advanceTimersByTime(100);
    expect(runs).toEqual([]);
  });
});
