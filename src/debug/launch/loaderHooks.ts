/**
 * Node's ES module hooks for ES module programs (dist/loaderHooks.cjs, registered by
 * debuggeeLoader.ts; they run on Node's hooks thread): "gradscope" resolves to the engine
 * bundle, relative imports find TS files as in CommonJS, .ts files load compiled (as ES
 * modules; .cts as CommonJS), and JSON imports need no `with { type: "json" }` (esbuild,
 * which ran programs before, did not ask for it either).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  ENGINE_SPECIFIER,
  engineFileFor,
  esmLoaderFormat,
  findTsFile,
  inNodeModules,
  isPathSpecifier,
  isTypeScript,
  moduleCode,
  readManifest,
  type LoaderManifest,
} from "./tsModules";

interface ResolveContext {
  parentURL?: string;
}
interface LoadContext {
  importAttributes?: Record<string, string>;
}
interface Resolved {
  url: string;
  format?: string;
  shortCircuit?: boolean;
}
interface Loaded {
  format: string;
  source?: string | Buffer;
  shortCircuit?: boolean;
}

let ahead: LoaderManifest["files"] = {};

export function initialize(data: { manifestFile?: string } | undefined): void {
  if (data?.manifestFile) ahead = readManifest(data.manifestFile).files;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: (specifier: string, context: ResolveContext) => Promise<Resolved>): Promise<Resolved> {
  if (specifier === ENGINE_SPECIFIER) return { url: pathToFileURL(engineFileFor(__dirname, "esm")).href, format: "module", shortCircuit: true };
  const parent = context.parentURL?.startsWith("file:") ? fileURLToPath(context.parentURL) : undefined;
  if (parent && !inNodeModules(parent)) {
    const base = specifier.startsWith("file:") ? fileURLToPath(specifier) : isPathSpecifier(specifier) ? path.resolve(path.dirname(parent), specifier) : undefined;
    const tsFile = base === undefined ? undefined : findTsFile(base);
    if (tsFile) return { url: pathToFileURL(tsFile).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url: string, context: LoadContext, nextLoad: (url: string, context: LoadContext) => Promise<Loaded>): Promise<Loaded> {
  if (url.startsWith("file:")) {
    const file = fileURLToPath(url);
    if (isTypeScript(file)) {
      const format = esmLoaderFormat(file);
      return { format: format === "esm" ? "module" : "commonjs", source: moduleCode(ahead, file, format), shortCircuit: true };
    }
    if (file.endsWith(".json") && context.importAttributes?.type === undefined) {
      return { format: "json", source: readFileSync(file), shortCircuit: true };
    }
  }
  return nextLoad(url, context);
}
