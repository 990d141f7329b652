/**
 * Turns the user's program into one runnable JS file plus a source map, with esbuild.
 *
 * - The user's own files (TS, JS, JSON) are bundled; `node_modules` packages stay external
 *   but are rewritten to absolute paths, because the output lives in a temp dir from
 *   which Node could not find them.
 * - `gradscope` always resolves to the embedded engine bundle in dist/ (one shared copy,
 *   whatever the user's tsconfig `paths` say).
 * - CommonJS output unless the program is ESM by Node's rules (.mts/.mjs, package.json
 *   "type": "module") or needs top-level await.
 * - `__dirname`, `__filename` and `import.meta.url` keep meaning the user's file, not the
 *   temp copy, so programs that read files next to themselves still work.
 */
import * as esbuild from "esbuild";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { isBuiltin } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { computeRenames, type RenameTable } from "../sourceMaps/renames";

export type OutputFormat = "cjs" | "esm";

export interface TranspiledProgram {
  /** Absolute path of the generated JS file. */
  outputFile: string;
  /** Its source map, with `sources` made absolute (TS paths). */
  sourceMap: RawSourceMap;
  format: OutputFormat;
  /** The temp directory holding the output; removed when the session ends. */
  outputDir: string;
  /** The engine bundle the program loads (blackboxed while stepping). */
  engineFile: string;
  /** Names esbuild changed, per original source file. */
  renames: Map<string, RenameTable>;
}

export interface RawSourceMap {
  version: 3;
  file?: string;
  sources: string[];
  sourcesContent?: Array<string | null>;
  names: string[];
  mappings: string;
  sourceRoot?: string;
}

export class TranspileError extends Error {
  override name = "TranspileError";
}

/** Starts esbuild's service ahead of the launch request (it takes ~100 ms cold). */
export function warmUpTranspiler(): void {
  void esbuild.transform("").catch(() => undefined);
}

const TOP_LEVEL_AWAIT_IN_CJS = /Top-level await is currently not supported with the "cjs" output format/;

export async function transpileProgram(program: string, engineDir: string): Promise<TranspiledProgram> {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), "gradscope-"));
  try {
    return await transpileInto(outputDir, program, engineDir);
  } catch (error) {
    rmSync(outputDir, { recursive: true, force: true });
    throw error;
  }
}

async function transpileInto(outputDir: string, program: string, engineDir: string): Promise<TranspiledProgram> {
  let format: OutputFormat = looksLikeEsm(program) ? "esm" : "cjs";
  let result: esbuild.BuildResult<{ write: false }>;
  try {
    result = await build(program, outputDir, format, engineDir);
  } catch (error) {
    if (format === "cjs" && isBuildFailure(error) && error.errors.some((e) => TOP_LEVEL_AWAIT_IN_CJS.test(e.text))) {
      format = "esm";
      try {
        result = await build(program, outputDir, format, engineDir);
      } catch (retryError) {
        throw toTranspileError(retryError, path.dirname(program));
      }
    } else {
      throw toTranspileError(error, path.dirname(program));
    }
  }

  const outputFile = path.join(outputDir, path.parse(program).name + (format === "esm" ? ".mjs" : ".cjs"));
  const jsOut = result.outputFiles.find((f) => f.path.endsWith(".js"));
  const mapOut = result.outputFiles.find((f) => f.path.endsWith(".map"));
  if (!jsOut || !mapOut) throw new TranspileError(`esbuild produced no output for ${program}`);
  const sourceMap = JSON.parse(mapOut.text) as RawSourceMap;
  sourceMap.sources = sourceMap.sources.map((s) => path.resolve(outputDir, sourceMap.sourceRoot ?? "", s));
  delete sourceMap.sourceRoot;
  sourceMap.file = path.basename(outputFile);
  // The JS text ends with a sourceMappingURL comment naming esbuild's default file name.
  const js = jsOut.text.replace(/\/\/# sourceMappingURL=.*\s*$/, `//# sourceMappingURL=${path.basename(outputFile)}.map\n`);
  writeFileSync(outputFile, js);
  writeFileSync(outputFile + ".map", JSON.stringify(sourceMap));
  const renames = computeRenames(js, sourceMap as never);
  return { outputFile, sourceMap, format, outputDir, engineFile: engineFileFor(engineDir, format), renames };
}

function engineFileFor(engineDir: string, format: OutputFormat): string {
  return path.join(engineDir, format === "esm" ? "engine.mjs" : "engine.cjs");
}

function build(program: string, outputDir: string, format: OutputFormat, engineDir: string) {
  const programUrl = pathToFileURL(program).href;
  return esbuild.build({
    entryPoints: [program],
    bundle: true,
    write: false,
    outdir: outputDir,
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    format,
    sourcemap: "linked",
    sourcesContent: false,
    logLevel: "silent",
    absWorkingDir: path.dirname(program),
    // ESM output: give bundled CommonJS code a real `require`, resolving from the program.
    banner:
      format === "esm"
        ? { js: `import { createRequire as __gradscopeCreateRequire } from "node:module"; const require = __gradscopeCreateRequire(${JSON.stringify(programUrl)});` }
        : undefined,
    plugins: [resolveExternals(format, engineDir), keepUserFileLocations()],
  });
}

/** `gradscope` -> embedded engine; packages -> external by absolute path. */
function resolveExternals(format: OutputFormat, engineDir: string): esbuild.Plugin {
  const asImportPath = (file: string) => (format === "esm" ? pathToFileURL(file).href : file);
  return {
    name: "gradscope-externals",
    setup(build) {
      build.onResolve({ filter: /^gradscope$/ }, () => ({ path: asImportPath(engineFileFor(engineDir, format)), external: true }));
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === "inner" || isBuiltin(args.path) || path.isAbsolute(args.path)) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "inner" });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        // tsconfig `paths` aliases to the user's own files are bundled like relative imports.
        if (!resolved.path.split(path.sep).includes("node_modules")) return { path: resolved.path };
        return { path: asImportPath(resolved.path), external: true };
      });
    },
  };
}

const LOADERS: Record<string, esbuild.Loader> = {
  ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx",
};

/** Rewrites location globals to the user's file, on the file's own first line (no line shift). */
function keepUserFileLocations(): esbuild.Plugin {
  return {
    name: "gradscope-file-locations",
    setup(build) {
      build.onLoad({ filter: /\.[mc]?[jt]sx?$/ }, (args) => {
        if (args.path.split(path.sep).includes("node_modules")) return undefined;
        const loader = LOADERS[path.extname(args.path)];
        let text = readFileSync(args.path, "utf8");
        const fileUrl = JSON.stringify(pathToFileURL(args.path).href);
        text = text
          .replace(/\bimport\.meta\.url\b/g, fileUrl)
          .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path))
          .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(path.dirname(args.path)));
        const declares = (name: string) => new RegExp(`\\b(const|let|var|function)\\s+${name}\\b`).test(text);
        const prelude: string[] = [];
        if (/\b__dirname\b/.test(text) && !declares("__dirname")) prelude.push(`__dirname = ${JSON.stringify(path.dirname(args.path))}`);
        if (/\b__filename\b/.test(text) && !declares("__filename")) prelude.push(`__filename = ${JSON.stringify(args.path)}`);
        if (prelude.length > 0) text = `var ${prelude.join(", ")}; ` + text;
        return { contents: text, loader };
      });
    },
  };
}

/** Node's own rule for whether a file is an ES module (extension, then package.json "type"). */
function looksLikeEsm(program: string): boolean {
  const ext = path.extname(program);
  if (ext === ".mts" || ext === ".mjs") return true;
  if (ext === ".cts" || ext === ".cjs") return false;
  for (let dir = path.dirname(program); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, "utf8")) as { type?: string }).type === "module";
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

function isBuildFailure(error: unknown): error is esbuild.BuildFailure {
  return typeof error === "object" && error !== null && Array.isArray((error as esbuild.BuildFailure).errors);
}

/** esbuild failures as `file:line:column: message`, one per line, as compilers print them. */
function toTranspileError(error: unknown, baseDir: string): TranspileError {
  if (!isBuildFailure(error)) return new TranspileError(String(error));
  const lines = error.errors.map((e) => {
    if (!e.location) return e.text;
    const file = path.resolve(baseDir, e.location.file);
    return `${file}:${e.location.line}:${e.location.column + 1}: ${e.text}`;
  });
  return new TranspileError(lines.join("\n"));
}
