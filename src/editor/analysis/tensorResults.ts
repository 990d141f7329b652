/**
 * The facts of a tensor-producing expression, from the facts of its inputs and the grad
 * mode: PyTorch's rules for when a result is a leaf and when it requires grad.
 */
import ts from "typescript";
import { type Facts, type Origin, type TensorFacts, type Tri, requiresGradOf, SELF_EVIDENT, triOfFlag } from "./facts";
import { literalBoolean, skipOuter } from "./syntax";

/** A leaf that does not require grad: `detach()`, comparisons, integer factories… */
export function leafWithoutGrad(label: string, at: ts.Node, expression: ts.Expression, how: Origin["how"] = "detach"): TensorFacts {
  return { kind: "tensor", leaf: "yes", requiresGrad: "no", retainsGrad: "no", origin: { label, how, at, expression }, witness: null };
}

/** An autograd-recorded op: a non-leaf exactly when grad mode is on and an input requires grad. */
export function opResult(gradMode: Tri, label: string, at: ts.Node, expression: ts.Expression, inputs: readonly Facts[], how: Origin["how"] = "op"): TensorFacts {
  const origin: Origin = { label, how, at, expression };
  let anyUnknown = false;
  let requiringInput: Facts | undefined;
  for (const input of inputs) {
    const tri = requiresGradOf(input);
    if (tri === "yes") { requiringInput = input; break; }
    if (tri === "unknown") anyUnknown = true;
  }
  if (gradMode === "no" || (!requiringInput && !anyUnknown)) {
    return { kind: "tensor", leaf: "yes", requiresGrad: "no", retainsGrad: "no", origin, witness: null };
  }
  if (gradMode === "yes" && requiringInput && requiringInput.kind === "tensor") {
    return {
      kind: "tensor", leaf: "no", requiresGrad: "yes", retainsGrad: "no", origin: { ...origin, fromName: requiringInput.gradFromName },
      witness: requiringInput.witness ?? SELF_EVIDENT, gradFromName: requiringInput.gradFromName,
    };
  }
  return { kind: "tensor", leaf: "unknown", requiresGrad: "unknown", retainsGrad: "no", origin, witness: null };
}

/** The receiver of an in-place op (`add_`, `copy_`…) afterwards. */
export function inPlaceResult(gradMode: Tri, receiver: TensorFacts, label: string, at: ts.Node, node: ts.CallExpression, inputs: readonly Facts[]): TensorFacts {
  if (receiver.leaf === "no" || gradMode === "no") return receiver;
  const viaInputs = opResult(gradMode, label, at, node, inputs);
  if (viaInputs.requiresGrad === "no") return receiver;
  // A leaf that does not require grad becomes a non-leaf when an input requires grad
  // (an in-place op on a leaf that requires grad throws, so flags are unchanged then).
  if (receiver.leaf === "yes" && receiver.requiresGrad === "no") return viaInputs;
  return { ...receiver, leaf: "unknown", requiresGrad: viaInputs.requiresGrad === "yes" ? "yes" : "unknown", witness: viaInputs.witness };
}

/** After a successful flag change the tensor is known to be a leaf. */
export function withLeafFlag(facts: TensorFacts, value: "true" | "false" | "unknown"): TensorFacts {
  const requiresGrad = triOfFlag(value);
  return { ...facts, leaf: "yes", requiresGrad, witness: requiresGrad === "yes" ? SELF_EVIDENT : null };
}

/** The `requiresGrad` of a factory's options object literal. */
export function requiresGradOption(options: ts.ObjectLiteralExpression): "true" | "false" | "unknown" {
  let flag: "true" | "false" | "unknown" = "false";
  for (const property of options.properties) {
    if (ts.isSpreadAssignment(property)) flag = "unknown";
    else if (property.name && ts.isIdentifier(property.name) && property.name.text === "requiresGrad") {
      flag = ts.isPropertyAssignment(property) ? literalBoolean(property.initializer) : "unknown";
    }
  }
  return flag;
}

/** `x.to("int64")` gives an integer tensor, which can never require grad. */
export function isInt64Literal(node: ts.Expression): boolean {
  const inner = skipOuter(node);
  return ts.isStringLiteralLike(inner) && inner.text === "int64";
}
