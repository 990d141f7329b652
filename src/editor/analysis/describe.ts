/** The not-debugging hover: what static analysis knows about a variable, in one sentence. */
import type ts from "typescript";
import type { Facts, TensorFacts } from "./facts";
import { becausePhrase, originPhrase } from "./originText";

export function describeFacts(name: string, facts: Facts, sourceFile: ts.SourceFile): string | undefined {
  if (facts.kind === "tensor") return `\`${name}\`: ${originPhrase(facts.origin, sourceFile)}: ${tensorStatus(name, facts)}`;
  if (facts.kind === "module") {
    const parameters = facts.hasGradParameters === "yes" ? "its parameters require grad, so its output is a non-leaf"
      : facts.hasGradParameters === "no" ? "no parameters: its output requires grad if its inputs do"
        : "its output requires grad if its inputs or parameters do";
    return `\`${name}\`: an \`nn.${facts.className}\` module: ${parameters}.`;
  }
  return undefined; // values, imports and unknowns: the TypeScript hover says it better
}

function tensorStatus(name: string, facts: TensorFacts): string {
  if (facts.leaf === "no") {
    const grad = facts.retainsGrad === "yes"
      ? "`retainGrad()` was called, so backward() fills its .grad"
      : facts.retainsGrad === "no" ? `its .grad stays null after backward() unless you call \`${name}.retainGrad()\` first` : "";
    return `not a leaf (requires grad${becausePhrase(facts.origin).replace(", computed", " because it is computed")})${grad ? `; ${grad}` : ""}.`;
  }
  if (facts.leaf === "yes") {
    if (facts.requiresGrad === "yes") return "a leaf that requires grad: backward() fills its .grad.";
    if (facts.requiresGrad === "no") return "a leaf that does not require grad.";
    return "a leaf (whether it requires grad is not known statically).";
  }
  return "not a leaf if any of its inputs requires grad (not known statically).";
}
