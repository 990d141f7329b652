// Our quoted PyTorch texts must stay identical to what the engine raises and warns at run time.
import { describe, expect, it } from "vitest";
import { captureWarnings, RuntimeError, tensor } from "gradscope";
import { leafOnlyErrorText, NON_LEAF_GRAD_WARNING } from "../../../src/editor/analysis/pytorchText";

function errorOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    if (error instanceof RuntimeError) return error.message;
    throw error;
  }
  throw new Error("expected a RuntimeError");
}

describe("PyTorch texts", () => {
  it("match the engine's RuntimeError for requiresGrad on a non-leaf", () => {
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    expect(errorOf(() => { y.requiresGrad = false; })).toBe(leafOnlyErrorText("false"));
    expect(errorOf(() => { y.requiresGrad = true; })).toBe(leafOnlyErrorText("true"));
    expect(errorOf(() => y.requiresGrad_(false))).toBe(leafOnlyErrorText("false"));
  });

  it("match the engine's warning for .grad of a non-leaf", () => {
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    const { warnings } = captureWarnings(() => y.grad);
    expect(warnings.map((warning) => warning.message)).toContain(NON_LEAF_GRAD_WARNING);
  });
});
