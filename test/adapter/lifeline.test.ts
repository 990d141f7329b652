/**
 * The debuggee's lifeline without the adapter around it. The watchdog shell (POSIX) is covered
 * end to end in launch.test.ts ("the adapter killed outright"); the worker-thread lifeline that
 * Windows keeps (no /bin/sh there) is tried here, on this machine, so it cannot rot unseen.
 */
import { describe, expect, test } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import type { Readable } from "node:stream";
import * as os from "node:os";
import * as path from "node:path";
import { bootstrapSource } from "../../src/debug/launch/debuggeeProcess";

describe("the worker-thread lifeline", () => {
  test("kills a debuggee still waiting for its debugger once the adapter's end of the pipe closes, and removes the session's temp dir", async () => {
    const scratchDir = mkdtempSync(path.join(os.tmpdir(), "gradscope-lifeline-test-"));
    const bootstrap = path.join(scratchDir, "gradscope-bootstrap.cjs");
    writeFileSync(bootstrap, bootstrapSource(true));
    const child = spawn(process.execPath, ["--inspect=127.0.0.1:0", "--require", bootstrap, "-e", "0"], { stdio: ["ignore", "ignore", "pipe", "pipe"] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    // Listening means node runs the preloads next: the bootstrap arms the worker, then waits.
    await new Promise<void>((resolve) => {
      let stderr = "";
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk;
        if (stderr.includes("Debugger listening")) resolve();
      });
    });
    expect(child.exitCode).toBe(null);
    (child.stdio[3] as Readable).destroy();
    expect(await exited).toBe("SIGKILL");
    expect(existsSync(scratchDir)).toBe(false);
  });

  test("the bootstrap without it only waits for the debugger (the watchdog shell is the lifeline)", () => {
    expect(bootstrapSource(false)).not.toContain("Worker");
    expect(bootstrapSource(false)).toContain("waitForDebugger()");
  });
});
