// Compiles the engine's WebAssembly kernels (engine/kernels/*.wat) into TypeScript modules
// holding their bytes, so the engine stays one dependency-free bundle:
//
//   npm run wasm            regenerate engine/kernels/<name>Wasm.ts from <name>.wat
//   npm run wasm -- --check exit 1 if a generated file is out of date (the unit tests run this too)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

const kernels = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../engine/kernels");

/** The generated TypeScript for one .wat file. */
export async function generatedModule(watFile) {
  const wabt = await wabtInit();
  const module = wabt.parseWat(path.basename(watFile), readFileSync(watFile, "utf8"), { simd: true });
  try {
    module.validate();
    const { buffer } = module.toBinary({});
    const name = path.basename(watFile, ".wat");
    return (
      `// Generated from ${name}.wat by scripts/wasm.mjs (npm run wasm): do not edit.\n` +
      `/** The ${buffer.length}-byte WebAssembly module, base64. */\n` +
      `export const ${constantName(name)} = "${Buffer.from(buffer).toString("base64")}";\n`
    );
  } finally {
    module.destroy();
  }
}

function constantName(name) {
  return `${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_WASM`;
}

export function watFiles() {
  return readdirSync(kernels).filter((f) => f.endsWith(".wat")).map((f) => path.join(kernels, f));
}

export const outputFor = (watFile) => watFile.replace(/\.wat$/, "Wasm.ts");

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const wat of watFiles()) {
    const text = await generatedModule(wat);
    const out = outputFor(wat);
    let current = "";
    try {
      current = readFileSync(out, "utf8");
    } catch {}
    if (current === text) continue;
    if (check) {
      console.error(`${path.relative(process.cwd(), out)} is out of date: run npm run wasm`);
      stale++;
    } else {
      writeFileSync(out, text);
      console.log(`wrote ${path.relative(process.cwd(), out)}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
