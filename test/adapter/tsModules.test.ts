/** How one TS file becomes runnable JS (sucrase), and how the loader finds and classifies files. */
import { afterAll, describe, expect, test } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TranspileError, compileModule, findTsFile, nodeFormat } from "../../src/debug/launch/tsModules";

describe("compileModule", () => {
  const source = `import { a } from "./a";\ninterface P { x: number }\n\nexport const b: number = a + 1;\nconsole.log(b as number);\n`;

  test("keeps every line where it was, CommonJS or ES module, with the map inline", () => {
    for (const format of ["cjs", "esm"] as const) {
      const { code, map } = compileModule("/p/m.ts", source, format);
      const lines = code.split("\n");
      expect(lines[3]).toContain("const b = ");
      expect(lines[4]).toContain("console.log(");
      expect(code).toMatch(/\n\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,\S+\n$/);
      expect(map.sources).toEqual(["/p/m.ts"]);
    }
    expect(compileModule("/p/m.ts", source, "cjs").code).toContain("require('./a')");
    expect(compileModule("/p/m.ts", source, "esm").code).toContain('import { a } from "./a"');
  });

  test("syntax errors as file:line:column: message", () => {
    expect(() => compileModule("/p/bad.ts", "const ok = 1;\nconst broken = (ok + ;\n", "cjs")).toThrow(new TranspileError("/p/bad.ts:2:22: Unexpected token"));
  });

  test("a namespace holding values is refused rather than dropped; a type-only one is fine", () => {
    expect(() => compileModule("/p/ns.ts", "const x = 1;\nexport namespace N {\n  export const a = 1;\n}\n", "cjs")).toThrow(/^\/p\/ns\.ts:2:1: TypeScript namespaces with values/);
    expect(compileModule("/p/ns.ts", "namespace T {\n  export interface I { a: number }\n}\n", "cjs").code).not.toContain("namespace");
  });
});

describe("files", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gradscope-tsmodules-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text = "") => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  };
  write("a.ts");
  write("b.js");
  write("b.ts");
  write("lib/index.ts");
  write("data.json", "{}");
  write("esm/package.json", '{ "type": "module" }');
  write("esm/deep/x.ts");

  test("findTsFile reads specifiers as TS tooling does; TS wins over JS beside it", () => {
    expect(findTsFile(path.join(dir, "a"))).toBe(path.join(dir, "a.ts"));
    expect(findTsFile(path.join(dir, "a.js"))).toBe(path.join(dir, "a.ts"));
    expect(findTsFile(path.join(dir, "b.js"))).toBe(path.join(dir, "b.ts"));
    expect(findTsFile(path.join(dir, "lib"))).toBe(path.join(dir, "lib/index.ts"));
    expect(findTsFile(path.join(dir, "data.json"))).toBeUndefined();
    expect(findTsFile(path.join(dir, "missing"))).toBeUndefined();
  });

  test("nodeFormat: extension first, then the nearest package.json", () => {
    expect(nodeFormat(path.join(dir, "esm/deep/x.ts"))).toBe("esm");
    expect(nodeFormat(path.join(dir, "esm/deep/x.cts"))).toBe("cjs");
    expect(nodeFormat(path.join(dir, "a.mts"))).toBe("esm");
  });
});
