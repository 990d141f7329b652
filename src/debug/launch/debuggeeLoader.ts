/**
 * The debuggee's loader (dist/loader.cjs), preloaded with `--require` before the user's code:
 * it runs the program's .ts files in place, so Node resolves packages from the program's own
 * folder and `__dirname`, `__filename` and `import.meta` mean the user's file.
 *
 * - CommonJS: `.ts/.tsx/.mts/.cts` compile through Module._extensions; `require("gradscope")`
 *   is the embedded engine beside this file; relative imports find TS files as TS tooling
 *   does (`./x` and `./x.js` for `x.ts`, folders' index.ts).
 * - ES module programs (manifest format "esm"): the same through Node's module hooks
 *   (loaderHooks.ts, registered here; Node >= 20.6), which start a thread of their own, so
 *   CommonJS programs don't pay for them.
 *
 * Code comes from the manifest the adapter wrote (GRADSCOPE_PROGRAM; its source maps are
 * already registered with the adapter), else is compiled here by the same function.
 */
import * as nodeModule from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  ENGINE_SPECIFIER,
  MANIFEST_ENV,
  TS_EXTENSIONS,
  engineFileFor,
  findTsFile,
  inNodeModules,
  isPathSpecifier,
  moduleCode,
  readManifest,
  type LoaderManifest,
} from "./tsModules";

interface CompilingModule {
  _compile(code: string, filename: string): unknown;
}
interface ParentModule {
  filename?: string | null;
}
/** The parts of Node's CommonJS loader that require hooks (ts-node, tsx, pirates) patch. */
interface CommonJsInternals {
  _extensions: Record<string, (module: CompilingModule, filename: string) => void>;
  _resolveFilename(this: unknown, request: string, parent: ParentModule | null | undefined, ...rest: unknown[]): string;
}

const manifestFile = process.env[MANIFEST_ENV];
// The program's own environment (and its children's) stays as the user set it. Workers,
// which Node preloads this into too, start without it: they compile what they load (the
// ES module hooks thread registers no hooks of its own).
delete process.env[MANIFEST_ENV];
const manifest: LoaderManifest = manifestFile ? readManifest(manifestFile) : { format: "cjs", files: {} };

const commonJs = nodeModule.Module as unknown as CommonJsInternals;
for (const ext of TS_EXTENSIONS) {
  commonJs._extensions[ext] = (module, filename) => module._compile(moduleCode(manifest.files, filename, "cjs"), filename);
}
const resolveFilename = commonJs._resolveFilename;
commonJs._resolveFilename = function (request, parent, ...rest) {
  if (request === ENGINE_SPECIFIER) return engineFileFor(__dirname, "cjs");
  if (parent?.filename && isPathSpecifier(request) && !inNodeModules(parent.filename)) {
    const tsFile = findTsFile(path.resolve(path.dirname(parent.filename), request));
    if (tsFile) return tsFile;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

if (manifest.format === "esm") {
  if (typeof nodeModule.register !== "function") {
    throw new Error(`Gradscope runs ES module programs with Node's module hooks: Node 20.6 or later is needed (this is ${process.version}; launch attribute 'runtimeExecutable').`);
  }
  nodeModule.register(pathToFileURL(path.join(__dirname, "loaderHooks.cjs")).href, { data: { manifestFile } });
}
