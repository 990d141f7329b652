/**
 * Before the debuggee starts: every file the program reaches through relative imports is
 * compiled (tsModules.ts), so TS syntax errors are reported up front with file:line:column
 * and every source map is known before any code runs (a breakpoint set before the launch
 * binds at the right TS line, also in a file imported later). The code goes to the
 * debuggee's loader in a manifest; the debuggee runs the files in place (debuggeeLoader.ts).
 *
 * The program runs as CommonJS (imports become requires) unless it is an ES module by Node's
 * rules (.mts/.mjs, package.json "type": "module"; any file it reaches) or needs ES module
 * syntax (top-level await, import.meta): then every TS file but .cts runs as an ES module.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";
import { TraceMap, decodedMappings, type DecodedSourceMap } from "@jridgewell/trace-mapping";
import { computeImportBindings, type ImportBindings } from "../sourceMaps/importBindings";
import {
  MANIFEST_ENV,
  compileModule,
  esmLoaderFormat,
  findTsFile,
  identityMap,
  isFile,
  isPathSpecifier,
  isTypeScript,
  nodeFormat,
  type CompiledModule,
  type LoaderManifest,
  type ModuleFormat,
  type RawSourceMap,
} from "./tsModules";

/**
 * Where the program's compiled code goes and how node runs it through the loader: known
 * before anything is compiled, so the debuggee can start while the adapter compiles.
 */
export interface ProgramLaunch {
  /** The session's temp dir (manifest, bootstrap); removed when the session ends. */
  scratchDir: string;
  /** Node arguments and environment that run the program through the loader. */
  nodeArgs: string[];
  env: Record<string, string>;
}

export interface PreparedProgram {
  entry: string;
  format: ModuleFormat;
  /** Source maps of the program's files, by absolute path (generated and original are the same file). */
  maps: Map<string, DecodedSourceMap>;
  /**
   * A `debugger` statement in one of the program's files, by its text (DEBUGGER_STATEMENT):
   * the adapter's Debugger domain must then be on from the start, or V8 would not stop there.
   */
  mentionsDebugger: boolean;
  /** Imported names as sucrase rewrote them in a CommonJS file (`scale` -> `_helper.scale`). */
  importBindings(file: string): ImportBindings | undefined;
}

const MANIFEST_FILE = "program.json";

/** A fresh temp dir for one run, and the loader's arguments reading its manifest. */
export function programLaunch(distDir: string): ProgramLaunch {
  const scratchDir = mkdtempSync(path.join(os.tmpdir(), "gradscope-"));
  return {
    scratchDir,
    nodeArgs: ["--enable-source-maps", "--require", path.join(distDir, "loader.cjs")],
    env: { [MANIFEST_ENV]: path.join(scratchDir, MANIFEST_FILE) },
  };
}

interface ProgramFile {
  source: string;
  compiled?: CompiledModule;
  format: ModuleFormat;
}

/**
 * Finds, compiles and hands over the program's files, through `launch`'s temp dir (the
 * caller removes it). Throws TranspileError on syntax errors.
 */
export function prepareProgram(entry: string, launch: ProgramLaunch): PreparedProgram {
  const { files, format } = collectProgram(entry);
  const maps = new Map<string, DecodedSourceMap>();
  const manifest: LoaderManifest = { format, files: {} };
  let mentionsDebugger = false;
  for (const [file, f] of files) {
    mentionsDebugger ||= DEBUGGER_STATEMENT.test(f.source);
    if (f.compiled && f.format !== formatIn(file, format)) f.compiled = compileModule(file, f.source, (f.format = formatIn(file, format)));
    const map = f.compiled?.map ?? (JS_FILE.test(file) ? identityMap(file, f.source) : undefined);
    if (map) maps.set(file, withoutLineFillers(map, f.compiled?.code ?? f.source));
    if (f.compiled) manifest.files[file] = { format: f.format, code: f.compiled.code };
  }
  writeFileSync(path.join(launch.scratchDir, MANIFEST_FILE), JSON.stringify(manifest));

  const bindings = new Map<string, ImportBindings | undefined>();
  return {
    entry,
    format,
    maps,
    mentionsDebugger,
    importBindings(file) {
      if (!bindings.has(file)) {
        const f = files.get(file);
        const cjs = f?.compiled && f.format === "cjs";
        bindings.set(file, cjs ? computeImportBindings(f.source, f.compiled!.code, f.compiled!.map) : undefined);
      }
      return bindings.get(file);
    },
  };
}

/**
 * The entry and every user file reachable from it by relative specifiers (packages are
 * Node's business), TS files compiled in the program's format as known so far (a file can
 * still turn the program into an ES module: see formatIn). JS files are followed too: they
 * may import TS.
 */
function collectProgram(entry: string): { files: Map<string, ProgramFile>; format: ModuleFormat } {
  const files = new Map<string, ProgramFile>();
  let format: ModuleFormat = "cjs";
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.has(file)) continue;
    if (nodeFormat(file) === "esm") format = "esm";
    const source = readFileSync(file, "utf8");
    const programFile: ProgramFile = { source, format: formatIn(file, format) };
    if (isTypeScript(file)) {
      programFile.compiled = compileModule(file, source, programFile.format);
      if (format === "cjs" && needsEsm(file, programFile.compiled.code)) format = "esm";
    }
    files.set(file, programFile);
    for (const specifier of pathSpecifiers(source)) {
      const found = resolveUserFile(path.resolve(path.dirname(file), specifier));
      if (found && !files.has(found)) queue.push(found);
    }
  }
  return { files, format };
}

/** A TS file's format in a program of the given format: everything CommonJS, or ES modules but .cts. */
function formatIn(file: string, programFormat: ModuleFormat): ModuleFormat {
  return programFormat === "esm" ? esmLoaderFormat(file) : "cjs";
}

/** Specifiers of import/export/import()/require() naming files, from the source text. */
function pathSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g)) {
    if (isPathSpecifier(match[2]!)) found.push(match[2]!);
  }
  return found;
}

const JS_FILE = /\.[mc]?jsx?$/;

/**
 * `debugger` where a statement can start (line start, after `;` `{` `}` `)` `:` or `else`/`do`)
 * and ending one. Text, not a parse: prose in a comment ("what the debugger costs") does not
 * match, and a false match only turns the Debugger domain on early.
 */
const DEBUGGER_STATEMENT = /(?:^|[;{}):]|\belse|\bdo)[ \t]*debugger[ \t]*(?:;|\}|$)/m;

function resolveUserFile(base: string): string | undefined {
  const tsFile = findTsFile(base);
  if (tsFile) return tsFile;
  for (const candidate of [base, base + ".js", path.join(base, "index.js")]) {
    if (JS_FILE.test(candidate) && isFile(candidate)) return candidate;
  }
  return undefined;
}

/** ES module syntax that survives the CommonJS compile (top-level await, import.meta), by V8's own parse. */
function needsEsm(file: string, code: string): boolean {
  try {
    vm.compileFunction(code, ["exports", "require", "module", "__filename", "__dirname"], { filename: file });
    return false;
  } catch (error) {
    return error instanceof SyntaxError && /await is only valid|import\.meta|Cannot use import statement/.test(error.message);
  }
}


/**
 * sucrase maps the start of every generated line to the same line of the source, code or
 * not. Without those fillers a breakpoint on a blank, comment-only or type-only line moves
 * down to the next line with code, as users expect (and as V8 would, on an unparsed script).
 */
function withoutLineFillers(map: RawSourceMap, code: string): DecodedSourceMap {
  const lines = code.split("\n");
  const mappings = decodedMappings(new TraceMap(map)).map((segments, line) => {
    const tokenAtStart = /^(?!\s|\/\/|\/\*)./.test(lines[line] ?? "");
    return tokenAtStart ? [...segments] : segments.filter((s) => !(s[0] === 0 && s[2] === line && s[3] === 0));
  });
  return { version: 3, file: map.file, sources: map.sources, names: map.names, mappings };
}
