/**
 * Static analysis of Gradscope programs, for the editor: warnings about non-leaf tensors
 * (with quick fixes) and hover descriptions. Pure — no `vscode` — and fast: one parse with
 * `ts.createSourceFile` and one walk (see walker.ts); no type checker.
 */
import ts from "typescript";
import { type Binding, witnessLinks } from "./facts";
import { walkSourceFile, type Candidate, type WalkResult } from "./walker";
import { gradReadMessage, requiresGradMessage } from "./messages";
import { gradReadFixes, requiresGradFixes, type ReferenceOffsets } from "./quickFixes";
import { describeFacts } from "./describe";
import { lineOf } from "./originText";
import type { Finding, TextRange } from "./types";

export type { Finding, FindingCode, QuickFix, RelatedLocation, TextEdit, TextPosition, TextRange } from "./types";

export interface SourceAnalysis {
  readonly findings: readonly Finding[];
  /** The hover text for the identifier at (or just before) `offset`, if it is a variable we know about. */
  describeAt(offset: number): string | undefined;
}

export function analyzeSource(text: string, fileName = "program.ts"): SourceAnalysis {
  // No parent pointers and no JSDoc parsing: the walk needs neither, and both cost time.
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  const sourceFile = ts.createSourceFile(fileName, text, options, false, scriptKindOf(fileName));
  const walk = walkSourceFile(sourceFile);
  const references = referenceOffsetsOf(walk);
  const findings = walk.candidates.filter((candidate) => stillValid(candidate, walk))
    .map((candidate) => toFinding(candidate, references, sourceFile))
    .sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { findings, describeAt: (offset) => describeReference(walk, sourceFile, offset) };
}

export function findNonLeafProblems(text: string, fileName?: string): readonly Finding[] {
  return analyzeSource(text, fileName).findings;
}

export function describeAt(text: string, offset: number, fileName?: string): string | undefined {
  return analyzeSource(text, fileName).describeAt(offset);
}

/** Applies non-overlapping edits to a text (for tests and previews). */
export function applyEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (fileName.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (fileName.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * The walk reasons in source order; some facts are only invalidated by what comes later:
 * a function body writing a variable the reasoning went through, parameters being frozen
 * somewhere (then a module's output may not require grad), or grad mode switched inside a
 * function. Those findings are dropped rather than risk a false warning.
 */
function stillValid(candidate: Candidate, walk: WalkResult): boolean {
  if (walk.gradModeChangedInFunction) return false;
  if (walk.foreignWrites.has(candidate.subject)) return false;
  for (const link of witnessLinks(candidate.subjectFacts.witness)) {
    if (link.binding && walk.foreignWrites.has(link.binding)) return false;
    if (link.fromModuleParameters && walk.freezingSeen) return false;
  }
  return true;
}

/** Groups reference offsets by variable on first use (most analyses have no finding that needs it). */
function referenceOffsetsOf(walk: WalkResult): ReferenceOffsets {
  let grouped: Map<Binding, number[]> | undefined;
  return (binding) => {
    if (!grouped) {
      grouped = new Map();
      for (const [offset, reference] of walk.references) {
        const offsets = grouped.get(reference.binding);
        if (offsets) offsets.push(offset);
        else grouped.set(reference.binding, [offset]);
      }
    }
    return grouped.get(binding) ?? [];
  };
}

function toFinding(candidate: Candidate, references: ReferenceOffsets, sourceFile: ts.SourceFile): Finding {
  const origin = candidate.subjectFacts.origin;
  const related = origin.how === "merged" ? [] : [{
    range: rangeOf(origin.expression ?? origin.at, sourceFile),
    message: `\`${candidate.subject.name}\` is created here (line ${lineOf(sourceFile, origin.at)}): not a leaf`,
  }];
  const common = { severity: "warning" as const, range: rangeOf(candidate.flagged, sourceFile), related };
  if (candidate.code === "nonLeafRequiresGrad") {
    return { ...common, code: candidate.code, message: requiresGradMessage(candidate, sourceFile), fixes: requiresGradFixes(candidate, sourceFile, references) };
  }
  return { ...common, code: candidate.code, message: gradReadMessage(candidate, sourceFile), fixes: gradReadFixes(candidate, sourceFile) };
}

function rangeOf(node: ts.Node, sourceFile: ts.SourceFile): TextRange {
  const position = (offset: number) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(offset);
    return { offset, line, character };
  };
  return { start: position(node.getStart(sourceFile)), end: position(node.end) };
}

function describeReference(walk: WalkResult, sourceFile: ts.SourceFile, offset: number): string | undefined {
  const text = sourceFile.text;
  // Hovers point anywhere inside a name (or just past its end): find where the name starts.
  let start = Math.min(offset, text.length);
  if (start > 0 && !isIdentifierChar(text.charCodeAt(start)) && isIdentifierChar(text.charCodeAt(start - 1))) start--;
  if (!isIdentifierChar(text.charCodeAt(start))) return undefined;
  while (start > 0 && isIdentifierChar(text.charCodeAt(start - 1))) start--;
  const reference = walk.references.get(start);
  return reference ? describeFacts(reference.binding.name, reference.facts, sourceFile) : undefined;
}

function isIdentifierChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code > 127;
}
