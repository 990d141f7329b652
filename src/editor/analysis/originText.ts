/** How we name where a tensor came from, shared by messages and hovers. */
import type ts from "typescript";
import type { Origin } from "./facts";

export function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

/** "the result of `mul` at line 6", "the output of `model.call` at line 9". */
export function originPhrase(origin: Origin, sourceFile: ts.SourceFile): string {
  const line = lineOf(sourceFile, origin.at);
  switch (origin.how) {
    case "merged":
      return "assigned on several paths";
    case "module":
      return `the output of \`${origin.label}\` at line ${line}`;
    case "factory":
    case "parameter":
      return `created by \`${origin.label}\`${origin.note ? ` with ${origin.note}` : ""} at line ${line}`;
    default:
      return `the result of \`${origin.label}\` at line ${line}`;
  }
}

/** ", computed from `w`, which requires grad" when we know the input, else "". */
export function becausePhrase(origin: Origin): string {
  return origin.fromName ? `, computed from \`${origin.fromName}\`, which requires grad` : "";
}
