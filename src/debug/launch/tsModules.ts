/**
 * How a user's TypeScript runs: in place, one file at a time, with its types stripped by
 * sucrase. Shared by the adapter (which compiles the program's files before the launch, see
 * prepareProgram.ts) and the debuggee's loader (debuggeeLoader.ts, which compiles any file
 * the adapter did not see), so both produce the same code for the same file.
 *
 * sucrase keeps every token on its line (breakpoints and stack traces need no line mapping;
 * the token-level source map fixes the columns), is fast to load (~30 ms, against ~500 ms for
 * the TypeScript compiler) and small enough for the .vsix (esbuild's native binary was not).
 * It does not type-check, as esbuild did not.
 */
import type * as Sucrase from "sucrase";
import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";

export type ModuleFormat = "cjs" | "esm";

export const TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];
const TS_FOR_JS: Record<string, string> = { ".js": ".ts", ".jsx": ".tsx", ".mjs": ".mts", ".cjs": ".cts" };

export class TranspileError extends Error {
  override name = "TranspileError";
}

export interface RawSourceMap {
  version: 3;
  file?: string;
  sources: string[];
  names: string[];
  mappings: string;
}

export interface CompiledModule {
  /** The code to run, ending with its source map inline (for --enable-source-maps). */
  code: string;
  map: RawSourceMap;
}

export function isTypeScript(file: string): boolean {
  return TS_EXTENSIONS.includes(path.extname(file));
}

/** sucrase itself (dist/sucrase.cjs in the build), loaded on first use. */
let sucraseModule: typeof Sucrase | undefined;
function sucrase(): typeof Sucrase {
  return (sucraseModule ??= require("sucrase") as typeof Sucrase);
}

/** Loads and warms up sucrase ahead of the launch request. */
export function warmUpTranspiler(): void {
  compileModule("warm-up.ts", "import { a } from './a';\nexport const b: number = a;\n", "cjs");
}

/**
 * TS -> JS for one file. "cjs" also turns import/export into require/exports (sucrase's
 * `imports` transform); "esm" leaves them to Node. Syntax errors come back as
 * `file:line:column: message`, as compilers print them.
 */
export function compileModule(file: string, source: string, format: ModuleFormat): CompiledModule {
  refuseValueNamespaces(file, source);
  const transforms: Sucrase.Transform[] = ["typescript"];
  if (file.endsWith(".tsx")) transforms.push("jsx");
  if (format === "cjs") transforms.push("imports");
  const { code, map } = transform(file, source, transforms, format);
  const inline = Buffer.from(JSON.stringify(map)).toString("base64");
  return { code: `${code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${inline}\n`, map };
}

/**
 * For a plain JS file, which runs as written: sucrase's token-by-token identity map, so its
 * breakpoints bind and verify like those in TS files. Undefined when sucrase can't read it.
 */
export function identityMap(file: string, source: string): RawSourceMap | undefined {
  try {
    const { code, map } = transform(file, source, [], "cjs");
    return code === source ? map : undefined;
  } catch {
    return undefined;
  }
}

function transform(file: string, source: string, transforms: Sucrase.Transform[], format: ModuleFormat): { code: string; map: RawSourceMap } {
  let result: Sucrase.TransformResult;
  try {
    result = sucrase().transform(source, {
      transforms,
      filePath: file,
      // Node 20 runs every modern syntax as written: only the types go.
      disableESTransforms: true,
      // `import x = require("y")` in an ES module needs a require of its own.
      injectCreateRequireForImportRequire: format === "esm",
      sourceMapOptions: { compiledFilename: file },
    });
  } catch (error) {
    throw syntaxError(file, source, error);
  }
  return { code: result.code, map: { ...result.sourceMap!, version: 3, sources: [file] } };
}

/**
 * sucrase drops `namespace X { ... }` blocks whole (it takes them for types): a value declared
 * in one would silently vanish, so such a file is refused, as a compiler error would.
 */
function refuseValueNamespaces(file: string, source: string): void {
  for (const match of source.matchAll(/^([ \t]*)(?:export\s+)?(?:namespace|module)\s+[A-Za-z_$][\w$.]*\s*\{/gm)) {
    const end = source.indexOf(`\n${match[1]}}`, match.index);
    const body = source.slice(match.index + match[0].length, end < 0 ? undefined : end);
    if (/(?:^|[\s;{])(?:const|let|var|function|class|enum)\s/.test(body)) {
      throw positioned(file, source, match.index + match[1]!.length, "TypeScript namespaces with values are not supported (sucrase, which strips the types, drops them): use a module or an object");
    }
  }
}

function syntaxError(file: string, source: string, error: unknown): TranspileError {
  const { message = String(error), pos } = error as { message?: string; pos?: unknown };
  const text = message.replace(`Error transforming ${file}: `, "").replace(/ \(\d+:\d+\)$/, "");
  return typeof pos === "number" ? positioned(file, source, pos, text) : new TranspileError(`${file}: ${text}`);
}

/** `file:line:column: message` (1-based), as compilers print them. */
function positioned(file: string, source: string, offset: number, message: string): TranspileError {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return new TranspileError(`${file}:${line}:${column}: ${message}`);
}

/** Node's own rule for a file's module format: extension, then the nearest package.json "type". */
export function nodeFormat(file: string): ModuleFormat {
  const ext = path.extname(file);
  if (ext === ".mts" || ext === ".mjs") return "esm";
  if (ext === ".cts" || ext === ".cjs") return "cjs";
  return packageFormat(path.dirname(file));
}

const packageFormats = new Map<string, ModuleFormat>();

function packageFormat(dir: string): ModuleFormat {
  let format = packageFormats.get(dir);
  if (format) return format;
  let text: string | undefined;
  try {
    text = readFileSync(path.join(dir, "package.json"), "utf8");
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    try {
      format = (JSON.parse(text) as { type?: string }).type === "module" ? "esm" : "cjs";
    } catch {
      format = "cjs";
    }
  } else {
    format = path.dirname(dir) === dir ? "cjs" : packageFormat(path.dirname(dir));
  }
  packageFormats.set(dir, format);
  return format;
}

/**
 * The format a TS file runs in when the ES module loader loads it: .cts stays CommonJS,
 * everything else is an ES module (the program runs as ESM: see prepareProgram).
 */
export function esmLoaderFormat(file: string): ModuleFormat {
  return path.extname(file) === ".cts" ? "cjs" : "esm";
}

export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The TypeScript file an import of `base` (an absolute path, as written after resolving
 * against the importer) means, if any, as TypeScript tooling reads it: the file itself,
 * `x.js` written for `x.ts`, `x` for `x.ts`, or a folder's `index.ts`. TS wins over JS
 * beside it, as in esbuild and tsx.
 */
export function findTsFile(base: string): string | undefined {
  if (isTypeScript(base) && isFile(base)) return base;
  const ext = path.extname(base);
  const swapped = TS_FOR_JS[ext];
  if (swapped && isFile(base.slice(0, -ext.length) + swapped)) return base.slice(0, -ext.length) + swapped;
  for (const candidate of TS_EXTENSIONS) if (isFile(base + candidate)) return base + candidate;
  for (const candidate of TS_EXTENSIONS) if (isFile(path.join(base, "index" + candidate))) return path.join(base, "index" + candidate);
  return undefined;
}

/** `./x`, `../x`, `/abs/x`: specifiers naming the user's own files (not packages). */
export function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === ".." || path.isAbsolute(specifier);
}

export const ENGINE_SPECIFIER = "gradscope";

/** The embedded engine bundle (dist/engine.cjs or .mjs) a program of this format loads. */
export function engineFileFor(distDir: string, format: ModuleFormat): string {
  return path.join(distDir, format === "esm" ? "engine.mjs" : "engine.cjs");
}

/**
 * What the adapter hands the debuggee's loader (a JSON file named by GRADSCOPE_PROGRAM): the
 * program's format and the code of every file compiled ahead, by absolute path.
 */
export interface LoaderManifest {
  format: ModuleFormat;
  files: Record<string, { format: ModuleFormat; code: string }>;
}

export const MANIFEST_ENV = "GRADSCOPE_PROGRAM";

export function readManifest(file: string): LoaderManifest {
  return JSON.parse(readFileSync(file, "utf8")) as LoaderManifest;
}

/** A file's code in the given format: as compiled ahead by the adapter, else compiled now. */
export function moduleCode(ahead: LoaderManifest["files"], file: string, format: ModuleFormat): string {
  const compiled = ahead[file];
  return compiled?.format === format ? compiled.code : compileModule(file, readFileSync(file, "utf8"), format).code;
}

export function inNodeModules(file: string): boolean {
  return file.includes(`${path.sep}node_modules${path.sep}`);
}
