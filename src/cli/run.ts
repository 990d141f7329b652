/**
 * `node dist/run.js program.ts [args...]`: runs a Gradscope program under plain Node, without
 * the debugger, transpiled exactly as the debug adapter does it (same esbuild settings, same
 * embedded engine), so "works under node" and "works under the debugger" mean the same program.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import { transpileProgram, TranspileError } from "../debug/launch/transpile";

async function main(): Promise<number> {
  const [programArg, ...args] = process.argv.slice(2);
  if (!programArg) {
    process.stderr.write("usage: node dist/run.js <program.ts> [args...]\n");
    return 2;
  }
  const program = path.resolve(programArg);
  if (!existsSync(program)) {
    process.stderr.write(`gradscope: program not found: ${program}\n`);
    return 2;
  }
  let outputDir: string | null = null;
  try {
    const transpiled = await transpileProgram(program, __dirname);
    outputDir = transpiled.outputDir;
    const child = spawn(process.execPath, ["--enable-source-maps", transpiled.outputFile, ...args], {
      stdio: "inherit",
      cwd: process.cwd(),
    });
    return await new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } catch (error) {
    process.stderr.write(error instanceof TranspileError ? `${error.message}\n` : `${String(error)}\n`);
    return 1;
  } finally {
    if (outputDir) rmSync(outputDir, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
