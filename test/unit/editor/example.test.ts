// The example users open first must get exactly the two warnings it is about.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeSource, findingsIn } from "./helpers";

const examplePath = new URL("../../../examples/non-leaf-mistake.ts", import.meta.url);
const example = readFileSync(examplePath, "utf8");

describe("examples/non-leaf-mistake.ts", () => {
  it("warns on `scaled.requiresGrad = false` and on `scaled.grad`, and nowhere else", () => {
    expect(findingsIn(example)).toEqual([
      { code: "nonLeafRequiresGrad", text: "scaled.requiresGrad", line: 10 },
      { code: "nonLeafGrad", text: "scaled.grad", line: 22 },
    ]);
  });

  it("does not warn on `kept.grad` (retainGrad was called) nor on `w.grad` (a leaf)", () => {
    const flagged = findingsIn(example).map((finding) => finding.text);
    expect(flagged).not.toContain("kept.grad");
    expect(flagged).not.toContain("w.grad");
  });

  it("explains in Gradscope's words, names the op and its line, then quotes PyTorch", () => {
    const [requiresGrad, grad] = analyzeSource(example).findings;
    expect(requiresGrad.severity).toBe("warning");
    expect(requiresGrad.message).toMatch(/^`scaled` is not a leaf: it is the result of `mul` at line 6, computed from `w`/);
    expect(requiresGrad.message).toContain(
      `PyTorch: "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."`,
    );
    expect(grad.message).toMatch(/^`scaled` is not a leaf \(it is the result of `mul` at line 6/);
    expect(grad.message).toContain("Call `scaled.retainGrad()` before backward()");
    expect(grad.message).toContain(`PyTorch warns: "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed.`);
  });

  it("links each warning to where the non-leaf was created", () => {
    for (const finding of analyzeSource(example).findings) {
      expect(finding.related).toHaveLength(1);
      const { start, end } = finding.related[0].range;
      expect(example.slice(start.offset, end.offset)).toBe("w.mul(2)");
      expect(start.line + 1).toBe(6);
    }
  });
});

describe("the other examples", () => {
  it("get no warnings (they make no non-leaf mistake)", () => {
    const examplesDir = new URL("../../../examples/", import.meta.url);
    const others = readdirSync(examplesDir).filter((name) => name.endsWith(".ts") && name !== "non-leaf-mistake.ts");
    expect(others.length).toBeGreaterThan(0);
    for (const name of others) {
      expect({ name, findings: findingsIn(readFileSync(new URL(name, examplesDir), "utf8")) }).toEqual({ name, findings: [] });
    }
  });
});
