/**
 * Quick fixes, as text edits against the analysed source.
 *
 * `x.requiresGrad = false` on a non-leaf: the user means "from here on, use x without
 * gradients". PyTorch's own advice is `var_no_grad = var.detach()`; the preferred fix applies
 * it to the same name — the statement becomes `x = x.detach();` (and `const x` becomes
 * `let x`) — because that keeps every later use of `x` meaning what the user intended, works
 * wherever the statement sits (inside `try`, `if`, a loop), and never changes code that ran
 * before it. A second fix, "detach where it is created", is offered when nothing reads `x`
 * between its creation and the mistake (then it is the same program, one line shorter).
 * `x.requiresGrad = true` on a non-leaf is a no-op wish (it already requires grad): remove it.
 * `.grad` of a non-leaf: insert `x.retainGrad();` right after the statement that creates x.
 */
import type ts from "typescript";
import type { QuickFix, TextEdit } from "./types";
import type { Binding } from "./facts";
import type { GradReadCandidate, RequiresGradCandidate } from "./walker";
import { lineOf } from "./originText";

/** Where each variable's name appears (offsets), to check nothing reads it between two points. */
export type ReferenceOffsets = (binding: Binding) => readonly number[];

export function requiresGradFixes(candidate: RequiresGradCandidate, sourceFile: ts.SourceFile, references: ReferenceOffsets): QuickFix[] {
  const name = candidate.subject.name;
  const { statement } = candidate;
  if (!statement) {
    // Used as a value (`use(x.requiresGrad_(false))`): the detached copy is the value wanted.
    if (!candidate.call) return [];
    return [{ title: `Replace with \`${name}.detach()\``, isPreferred: true, edits: [replaceNode(candidate.call, `${name}.detach()`, sourceFile)] }];
  }
  if (candidate.value === "true") {
    return [{ title: `Remove: \`${name}\` is not a leaf and already requires grad`, isPreferred: true, edits: [removeStatement(statement, sourceFile)] }];
  }
  const fixes: QuickFix[] = [];
  const redeclare = constToLet(candidate.subject, sourceFile);
  if (redeclare !== null) {
    fixes.push({
      title: `Use a detached copy from here on: \`${name} = ${name}.detach()\``,
      isPreferred: true,
      edits: [...redeclare, replaceNode(statement, `${name} = ${name}.detach();`, sourceFile)],
    });
  }
  const atCreation = detachAtCreation(candidate, sourceFile, references);
  if (atCreation) fixes.push({ ...atCreation, isPreferred: fixes.length === 0 });
  return fixes;
}

export function gradReadFixes(candidate: GradReadCandidate, sourceFile: ts.SourceFile): QuickFix[] {
  const { origin } = candidate.subjectFacts;
  if (!origin.statement || !origin.boundTo) return [];
  // `boundTo` is the variable the creating statement assigns; it names the same tensor.
  const name = origin.boundTo.name;
  return [{
    title: `Call \`${name}.retainGrad()\` after it is created (line ${lineOf(sourceFile, origin.statement)})`,
    isPreferred: true,
    edits: [insertLineAfter(origin.statement, `${name}.retainGrad();`, sourceFile)],
  }];
}

function detachAtCreation(candidate: RequiresGradCandidate, sourceFile: ts.SourceFile, references: ReferenceOffsets): Omit<QuickFix, "isPreferred"> | undefined {
  const { origin } = candidate.subjectFacts;
  const statement = candidate.statement!;
  if (!origin.expression || !origin.statement || origin.boundTo !== candidate.subject) return undefined;
  const createdAt = origin.statement.end;
  const mistakeAt = statement.getStart(sourceFile);
  if (createdAt > mistakeAt) return undefined;
  if (references(candidate.subject).some((offset) => offset > createdAt && offset < mistakeAt)) return undefined;
  return {
    title: `Detach \`${candidate.subject.name}\` where it is created (line ${lineOf(sourceFile, origin.statement)})`,
    edits: [{ start: origin.expression.end, end: origin.expression.end, newText: ".detach()" }, removeStatement(statement, sourceFile)],
  };
}

/** `const x = …` must become `let x = …` before x can be reassigned; null when it cannot. */
function constToLet(binding: Binding, sourceFile: ts.SourceFile): TextEdit[] | null {
  if (binding.declarationKind === "let" || binding.declarationKind === "var") return [];
  if (binding.declarationKind !== "const" || !binding.declarationList) return null;
  const start = binding.declarationList.getStart(sourceFile);
  if (!sourceFile.text.startsWith("const", start)) return null;
  return [{ start, end: start + "const".length, newText: "let" }];
}

function replaceNode(node: ts.Node, newText: string, sourceFile: ts.SourceFile): TextEdit {
  return { start: node.getStart(sourceFile), end: node.end, newText };
}

/** Deletes a statement, and its whole line when nothing else is on it. */
function removeStatement(statement: ts.Statement, sourceFile: ts.SourceFile): TextEdit {
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const newline = text.indexOf("\n", statement.end);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  const aloneOnLine = text.slice(lineStart, start).trim() === "" && text.slice(statement.end, lineEnd).trim() === "";
  return aloneOnLine ? { start: lineStart, end: lineEnd, newText: "" } : { start, end: statement.end, newText: "" };
}

/** Inserts a line after a statement, with its indentation, after any trailing comment. */
function insertLineAfter(statement: ts.Statement, line: string, sourceFile: ts.SourceFile): TextEdit {
  const text = sourceFile.text;
  const start = statement.getStart(sourceFile);
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, start))![0];
  const newline = text.indexOf("\n", statement.end);
  const rest = text.slice(statement.end, newline < 0 ? text.length : newline);
  const eol = newline > 0 && text[newline - 1] === "\r" ? "\r\n" : "\n";
  if (/^\s*(\/\/.*)?$/.test(rest)) {
    const at = newline < 0 ? text.length : newline - (eol.length - 1);
    return { start: at, end: at, newText: `${eol}${indent}${line}` };
  }
  return { start: statement.end, end: statement.end, newText: ` ${line}` };
}
