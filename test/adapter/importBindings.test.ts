/** Imported names sucrase rewrote (scale -> _helper.scale): the table from the source map, and expression rewriting. */
import { describe, expect, test } from "vitest";
import { compileModule } from "../../src/debug/launch/tsModules";
import { computeImportBindings, missesImport, rewriteExpression, type ImportBindings } from "../../src/debug/sourceMaps/importBindings";
import { logTemplate } from "../../src/debug/runtime/breakpoints";

const SOURCE = `import { scale, greeting as hello } from "./helper";
import settings from "./settings.json";
import * as ns from "./ns";
export let counter = 0;
const _own = 1;
console.log(scale(2), hello, settings.mode, ns.a, counter, _own);
`;

describe("computeImportBindings", () => {
  const compiled = compileModule("/p/main.ts", SOURCE, "cjs");
  const bindings = computeImportBindings(SOURCE, compiled.code, compiled.map);

  test("maps each imported name to what the generated code reads", () => {
    expect(Object.fromEntries(bindings.expressions)).toEqual({ scale: "_helper.scale", hello: "_helper.greeting", settings: "_settingsjson2.default" });
  });

  test("hides only names the user never wrote", () => {
    expect(bindings.hidden).toEqual(new Set(["_interopRequireWildcard", "_interopRequireDefault", "_helper", "_settingsjson", "_settingsjson2", "_ns"]));
  });
});

const table: ImportBindings = {
  expressions: new Map([["scale", "_helper.scale"], ["x", "_data.x"]]),
  hidden: new Set(["_helper", "_data"]),
};

describe("rewriteExpression", () => {
  test("rewrites free identifiers only", () => {
    expect(rewriteExpression("scale(x) + y.x", table)).toBe("_helper.scale(_data.x) + y.x");
    expect(rewriteExpression("({ x: x })", table)).toBe("({ x: _data.x })");
    expect(rewriteExpression('"scale" + `x`', table)).toBe('"scale" + `x`');
    expect(rewriteExpression("xs.map((v) => v * x)", table)).toBe("xs.map((v) => v * _data.x)");
  });

  test("a shorthand property keeps its key; array elements are no shorthand", () => {
    expect(rewriteExpression("({ x, scale })", table)).toBe("({ x: _data.x, scale: _helper.scale })");
    expect(rewriteExpression("[x, scale]", table)).toBe("[_data.x, _helper.scale]");
  });

  test("leaves expressions alone without bindings", () => {
    expect(rewriteExpression("scale.x", undefined)).toBe("scale.x");
  });

  test("only a ReferenceError for an imported name asks for the rewrite", () => {
    expect(missesImport("ReferenceError: scale is not defined\n    at eval", table)).toBe(true);
    expect(missesImport("ReferenceError: other is not defined", table)).toBe(false);
    expect(missesImport("TypeError: scale is not a function", table)).toBe(false);
  });
});

describe("logpoint messages", () => {
  test("braces become template expressions; backticks and dollars are escaped", () => {
    expect(logTemplate("i is {i}")).toBe("`i is ${i}`");
    expect(logTemplate("cost $5 `x` {a + b}")).toBe("`cost \\$5 \\`x\\` ${a + b}`");
    expect(logTemplate("unclosed {brace")).toBe("`unclosed {brace`");
  });
});
