/**
 * Where the embedded engine bundle (engine.cjs / engine.mjs) lives: next to the adapter
 * in dist/, both when it runs standalone (dist/debugAdapter.js) and inline inside the
 * extension (dist/extension.js). GRADSCOPE_ENGINE_DIR overrides it for development.
 */
export function defaultEngineDir(): string {
  return process.env.GRADSCOPE_ENGINE_DIR ?? __dirname;
}
