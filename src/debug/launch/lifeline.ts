/**
 * The debuggee's lifeline: when the adapter dies, however it dies (SIGKILL included), the
 * debuggee is killed and the session's temp dir removed, so no orphan survives.
 *
 * On POSIX systems it is a watchdog shell, started by the adapter beside the debuggee: it
 * blocks reading a pipe whose other end only the adapter holds, and when that read returns
 * (the adapter is gone: the kernel closed its end) it kills the debuggee. A shell costs the
 * debuggee nothing; the alternative, a worker thread inside the debuggee watching the same
 * pipe, costs it ~20 ms of start-up and CPU on every launch (measured on the 200-step MLP).
 * Windows has no /bin/sh: there the debuggee's bootstrap keeps that worker (debuggeeProcess.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";

/** Whether the lifeline is the watchdog shell here (else the bootstrap's worker thread). */
export const watchdogAvailable = process.platform !== "win32";

/**
 * `read` returns at end of file, when the adapter's end of the pipe closes; the kill then
 * takes the debuggee. Arguments come as $1/$2, never spliced into the script.
 */
const WATCHDOG_SCRIPT = 'read _ignored; kill -9 "$1" 2>/dev/null; rm -rf "$2"';

export class Lifeline {
  private constructor(private readonly watchdog: ChildProcess) {}

  /** Arms the lifeline for the process `pid`; undefined where there is no watchdog shell. */
  static arm(pid: number, scratchDir: string): Lifeline | undefined {
    if (!watchdogAvailable) return undefined;
    const watchdog = spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT, "gradscope-lifeline", String(pid), scratchDir], {
      stdio: ["pipe", "ignore", "ignore"],
      // Its own process group: a Ctrl-C to the adapter's group must not take the watchdog first.
      detached: true,
    });
    watchdog.on("error", () => undefined); // no shell: the session goes on, without a lifeline
    // Neither the watchdog nor its pipe keeps the adapter alive.
    watchdog.unref();
    (watchdog.stdin as Socket | null)?.unref();
    return new Lifeline(watchdog);
  }

  /** The debuggee is gone (or going): stand the watchdog down before its pid can be reused. */
  disarm(): void {
    if (this.watchdog.exitCode === null && this.watchdog.signalCode === null) this.watchdog.kill("SIGKILL");
  }
}
