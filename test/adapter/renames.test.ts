/** Bundler renames (scaled -> scaled2): the table from the source map, and expression rewriting. */
import { describe, expect, test } from "vitest";
import { rewriteExpression, type RenameTable } from "../../src/debug/sourceMaps/renames";
import { logTemplate } from "../../src/debug/runtime/breakpoints";

const table: RenameTable = {
  toOriginal: new Map([["scaled2", "scaled"], ["x2", "x"]]),
  toGenerated: new Map([["scaled", "scaled2"], ["x", "x2"]]),
};

describe("rewriteExpression", () => {
  test("rewrites free identifiers only", () => {
    expect(rewriteExpression("scaled.x + x", table)).toBe("scaled2.x + x2");
    expect(rewriteExpression("({ x: x })", table)).toBe("({ x: x2 })");
    expect(rewriteExpression('"scaled" + `x`', table)).toBe('"scaled" + `x`');
    expect(rewriteExpression("xs.map((v) => v * x)", table)).toBe("xs.map((v) => v * x2)");
  });

  test("leaves expressions alone without renames", () => {
    expect(rewriteExpression("scaled.x", undefined)).toBe("scaled.x");
  });
});

describe("logpoint messages", () => {
  test("braces become template expressions; backticks and dollars are escaped", () => {
    expect(logTemplate("i is {i}")).toBe("`i is ${i}`");
    expect(logTemplate("cost $5 `x` {a + b}")).toBe("`cost \\$5 \\`x\\` ${a + b}`");
    expect(logTemplate("unclosed {brace")).toBe("`unclosed {brace`");
  });
});
