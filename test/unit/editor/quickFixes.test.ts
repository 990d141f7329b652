// Quick fixes are checked by applying their edits and analysing the result again.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeSource, applyFix, findingsIn, HEADER, onlyFinding } from "./helpers";

const example = readFileSync(new URL("../../../examples/non-leaf-mistake.ts", import.meta.url), "utf8");
const W = `const w = tensor([1, 2, 3], { requiresGrad: true });\n`;

function finding(source: string, code: "nonLeafRequiresGrad" | "nonLeafGrad") {
  const found = analyzeSource(source).findings.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`no ${code} finding`);
  return found;
}

describe("requiresGrad quick fixes", () => {
  it("prefers `x = x.detach()` in place of the statement, turning `const` into `let`", () => {
    const fixed = applyFix(example, finding(example, "nonLeafRequiresGrad"));
    expect(fixed).toContain("let scaled = w.mul(2); // computed from w: not a leaf");
    expect(fixed).toContain("try {\n  scaled = scaled.detach();\n} catch");
    expect(findingsIn(fixed).map((seen) => seen.code)).not.toContain("nonLeafRequiresGrad");
  });

  it("offers detaching where the tensor is created when nothing uses it in between", () => {
    const found = finding(example, "nonLeafRequiresGrad");
    expect(found.fixes.map((fix) => [fix.title, fix.isPreferred])).toEqual([
      ["Use a detached copy from here on: `scaled = scaled.detach()`", true],
      ["Detach `scaled` where it is created (line 6)", false],
    ]);
    const fixed = applyFix(example, found, 1);
    expect(fixed).toContain("const scaled = w.mul(2).detach(); // computed from w: not a leaf");
    expect(fixed).toContain("try {\n} catch");
    expect(findingsIn(fixed).map((seen) => seen.code)).not.toContain("nonLeafRequiresGrad");
  });

  it("does not offer detaching at creation when the tensor is used before the mistake", () => {
    const source = `${HEADER}${W}const y = w.mul(2);\nconst loss = y.sum();\ny.requiresGrad = false;\n`;
    expect(onlyFinding(source).fixes.map((fix) => fix.title)).toEqual(["Use a detached copy from here on: `y = y.detach()`"]);
  });

  it("keeps `let` declarations and fixes requiresGrad_(false) the same way", () => {
    const source = `${HEADER}${W}let y = w.mul(2);\n  y.requiresGrad_(false);\nconsole.log(y);\n`;
    const fixed = applyFix(source, onlyFinding(source));
    expect(fixed).toBe(`${HEADER}${W}let y = w.mul(2);\n  y = y.detach();\nconsole.log(y);\n`);
    expect(findingsIn(fixed)).toEqual([]);
  });

  it("replaces requiresGrad_(false) used as a value with x.detach()", () => {
    const source = `${HEADER}${W}const y = w.mul(2);\nconsole.log(y.requiresGrad_(false).sum());\n`;
    const fixed = applyFix(source, onlyFinding(source));
    expect(fixed).toContain("console.log(y.detach().sum());");
    expect(findingsIn(fixed)).toEqual([]);
  });

  it("removes `x.requiresGrad = true` on a non-leaf, which already requires grad", () => {
    const source = `${HEADER}${W}const y = w.mul(2);\ny.requiresGrad = true;\nconsole.log(y);\n`;
    const found = onlyFinding(source);
    expect(found.message).toContain(`PyTorch: "you can only change requires_grad flags of leaf variables."`);
    expect(found.message).not.toContain("var.detach()");
    const fixed = applyFix(source, found);
    expect(fixed).toBe(`${HEADER}${W}const y = w.mul(2);\nconsole.log(y);\n`);
  });

  it("every preferred fix of every finding in the example applies cleanly on its own", () => {
    for (const found of analyzeSource(example).findings) {
      const fixed = applyFix(example, found);
      const after = analyzeSource(fixed).findings.filter((candidate) => candidate.code === found.code);
      expect(after.length).toBeLessThan(analyzeSource(example).findings.filter((candidate) => candidate.code === found.code).length);
    }
  });
});

describe(".grad quick fix", () => {
  it("inserts `x.retainGrad();` after the declaration, after its trailing comment", () => {
    const found = finding(example, "nonLeafGrad");
    expect(found.fixes.map((fix) => [fix.title, fix.isPreferred])).toEqual([["Call `scaled.retainGrad()` after it is created (line 6)", true]]);
    const fixed = applyFix(example, found);
    expect(fixed).toContain("const scaled = w.mul(2); // computed from w: not a leaf\nscaled.retainGrad();\n");
    expect(findingsIn(fixed).map((seen) => seen.code)).not.toContain("nonLeafGrad");
  });

  it("keeps the indentation of the declaration and CRLF line ends", () => {
    const source = `${HEADER}{\r\n    ${W}    const y = w.mul(2);\r\n    y.sum().backward();\r\n    console.log(y.grad);\r\n}\r\n`;
    const fixed = applyFix(source, onlyFinding(source));
    expect(fixed).toContain("    const y = w.mul(2);\r\n    y.retainGrad();\r\n    y.sum().backward();");
    expect(findingsIn(fixed)).toEqual([]);
  });

  it("inserts after an assignment too, and uses the assigned name for aliases", () => {
    const source = `${HEADER}${W}let y = zeros(3);\ny = w.mul(2);\nconst alias = y;\nconsole.log(alias.grad);\n`;
    const found = onlyFinding(source);
    expect(found.fixes[0].title).toBe("Call `y.retainGrad()` after it is created (line 4)");
    const fixed = applyFix(source, found);
    expect(fixed).toContain("y = w.mul(2);\ny.retainGrad();\nconst alias = y;");
    expect(findingsIn(fixed)).toEqual([]);
  });

  it("offers no fix when the tensor is not created by a statement of its own", () => {
    const source = `${HEADER}${W}for (const y = w.mul(2); ; ) {\n  console.log(y.grad);\n  break;\n}\n`;
    const found = onlyFinding(source);
    expect(found.code).toBe("nonLeafGrad");
    expect(found.fixes).toEqual([]);
  });
});
