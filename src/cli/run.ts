/**
 * `node dist/run.js program.ts [args...]`: runs a Gradscope program under plain Node, without
 * the debugger, compiled and loaded exactly as the debug adapter does it (same loader, same
 * embedded engine), so "works under node" and "works under the debugger" mean the same program.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import { prepareProgram, programLaunch } from "../debug/launch/prepareProgram";
import { TranspileError } from "../debug/launch/tsModules";

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
  const launch = programLaunch(__dirname);
  try {
    prepareProgram(program, launch);
    const child = spawn(process.execPath, [...launch.nodeArgs, program, ...args], {
      stdio: "inherit",
      cwd: process.cwd(),
      env: { ...process.env, ...launch.env },
    });
    return await new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } catch (error) {
    process.stderr.write(error instanceof TranspileError ? `${error.message}\n` : `${String(error)}\n`);
    return 1;
  } finally {
    rmSync(launch.scratchDir, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
