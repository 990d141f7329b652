/** Shared helpers for the editor analysis tests: short programs in, compact findings out. */
import { analyzeSource, applyEdits, type Finding } from "../../../src/editor/analysis/index";

export const HEADER = `import { tensor, zeros, randn, noGrad, setGradEnabled, nn, add, cat } from "gradscope";\n`;

export interface Seen {
  readonly code: Finding["code"];
  /** The flagged source text. */
  readonly text: string;
  /** 1-based line, as people read it. */
  readonly line: number;
}

export function findingsIn(source: string): Seen[] {
  return analyzeSource(source).findings.map((finding) => ({
    code: finding.code,
    text: source.slice(finding.range.start.offset, finding.range.end.offset),
    line: finding.range.start.line + 1,
  }));
}

/** Findings for a snippet placed after an import of the usual names. */
export function findingsInSnippet(snippet: string): Array<Omit<Seen, "line">> {
  return findingsIn(HEADER + snippet).map(({ code, text }) => ({ code, text }));
}

export function onlyFinding(source: string): Finding {
  const { findings } = analyzeSource(source);
  if (findings.length !== 1) throw new Error(`expected one finding, got ${findings.length}: ${findings.map((f) => f.message).join("\n")}`);
  return findings[0];
}

export function applyFix(source: string, finding: Finding, which: "preferred" | number = "preferred"): string {
  const fix = which === "preferred" ? finding.fixes.find((candidate) => candidate.isPreferred) : finding.fixes[which];
  if (!fix) throw new Error(`no such fix among: ${finding.fixes.map((f) => f.title).join(", ")}`);
  return applyEdits(source, fix.edits);
}

export { analyzeSource };
