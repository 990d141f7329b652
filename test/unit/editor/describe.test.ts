// The not-debugging hover text.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeAt } from "../../../src/editor/analysis/index";
import { HEADER } from "./helpers";

const example = readFileSync(new URL("../../../examples/non-leaf-mistake.ts", import.meta.url), "utf8");

/** Hover over the n-th occurrence (0-based) of `word`, a character into it. */
function hover(source: string, word: string, occurrence = 0): string | undefined {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = source.indexOf(word, at + 1);
  if (at < 0) throw new Error(`${word} not found`);
  return describeAt(source, at + 1);
}

describe("describeAt", () => {
  it("describes a factory leaf that requires grad", () => {
    expect(hover(example, "w.mul")).toBe(
      "`w`: created by `tensor(...)` with requiresGrad: true at line 5: a leaf that requires grad: backward() fills its .grad.",
    );
  });

  it("describes an op result as a non-leaf, and says why", () => {
    expect(hover(example, "scaled.requiresGrad")).toBe(
      "`scaled`: the result of `mul` at line 6: not a leaf (requires grad because it is computed from `w`, which requires grad); " +
        "its .grad stays null after backward() unless you call `scaled.retainGrad()` first.",
    );
  });

  it("knows retainGrad() was called", () => {
    // The first "kept.grad" is text inside the template literal; hover the expression.
    expect(hover(example, "kept.grad", 1)).toContain("not a leaf");
    expect(hover(example, "kept.grad", 1)).toContain("`retainGrad()` was called, so backward() fills its .grad");
  });

  it("describes detached tensors", () => {
    expect(hover(example, "frozen.requiresGrad", 1)).toBe("`frozen`: the result of `detach()` at line 16: a leaf that does not require grad.");
  });

  it("describes at the declaration, and wherever the cursor is inside the name", () => {
    const source = `${HEADER}const z = zeros(3);\n`;
    const at = source.indexOf("z = zeros");
    expect(describeAt(source, at)).toBe("`z`: created by `zeros(...)` at line 2: a leaf that does not require grad.");
    expect(describeAt(source, at + 1)).toBe(describeAt(source, at));
  });

  it("describes what is known at that point, not at the end", () => {
    const source = `${HEADER}const w = tensor([1], { requiresGrad: true });\nlet y = zeros(1);\nconsole.log(y);\ny = w.exp();\nconsole.log(y);\n`;
    expect(hover(source, "y)", 0)).toContain("created by `zeros(...)` at line 3");
    expect(hover(source, "y)", 1)).toContain("the result of `exp` at line 5: not a leaf");
  });

  it("says when it does not know", () => {
    const source = `${HEADER}declare const opts: { requiresGrad: boolean };\nconst a = zeros([2], opts);\nconst b = a.mul(2);\nconsole.log(b);\n`;
    expect(hover(source, "b)")).toBe("`b`: the result of `mul` at line 4: not a leaf if any of its inputs requires grad (not known statically).");
    expect(hover(source, "a.mul")).toBe("`a`: created by `zeros(...)` at line 3: a leaf (whether it requires grad is not known statically).");
  });

  it("describes modules", () => {
    const source = `${HEADER}const model = new nn.Linear(2, 1);\nconsole.log(model);\n`;
    expect(hover(source, "model)")).toBe("`model`: an `nn.Linear` module: its parameters require grad, so its output is a non-leaf.");
  });

  it("says nothing about non-tensors, unknowns, imports, or outside names", () => {
    const source = `${HEADER}const n = 3;\ndeclare const q: any;\nconsole.log(n, q, tensor);\n`;
    expect(hover(source, "n, q")).toBeUndefined();
    expect(hover(source, "q, tensor")).toBeUndefined();
    expect(hover(source, "tensor);")).toBeUndefined();
    expect(hover(source, "console")).toBeUndefined();
    expect(describeAt(source, source.indexOf("3;"))).toBeUndefined();
  });
});
