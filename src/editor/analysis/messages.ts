/** The text of each finding: a short Gradscope explanation, then PyTorch's own words. */
import type ts from "typescript";
import type { GradReadCandidate, RequiresGradCandidate } from "./walker";
import { becausePhrase, originPhrase } from "./originText";
import { leafOnlyErrorText, NON_LEAF_GRAD_WARNING } from "./pytorchText";

export function requiresGradMessage(candidate: RequiresGradCandidate, sourceFile: ts.SourceFile): string {
  const name = candidate.subject.name;
  const { origin } = candidate.subjectFacts;
  const what = `\`${name}\` is not a leaf: it is ${originPhrase(origin, sourceFile)}${becausePhrase(origin)}.`;
  const consequence = candidate.value === "true"
    ? ` It already requires grad, and changing the flag of a non-leaf throws a RuntimeError.`
    : ` Changing its requiresGrad throws a RuntimeError; to use it without gradients, use a detached copy, \`${name}.detach()\`.`;
  return `${what}${consequence} PyTorch: "${leafOnlyErrorText(candidate.value)}"`;
}

export function gradReadMessage(candidate: GradReadCandidate, sourceFile: ts.SourceFile): string {
  const name = candidate.subject.name;
  const { origin } = candidate.subjectFacts;
  return (
    `\`${name}\` is not a leaf (it is ${originPhrase(origin, sourceFile)}${becausePhrase(origin)}), so \`${name}.grad\` is null: ` +
    `backward() only fills .grad of leaves. Call \`${name}.retainGrad()\` before backward() to keep it` +
    `${origin.fromName ? `, or read the gradient of the leaf it comes from` : ""}. PyTorch warns: "${NON_LEAF_GRAD_WARNING}"`
  );
}
