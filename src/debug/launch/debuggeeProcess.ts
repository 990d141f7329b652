/**
 * The debuggee: a Node process started with `--inspect` on 127.0.0.1 and a random port,
 * running the user's files in place through Gradscope's loader (debuggeeLoader.ts), and
 * held before the user's first line until the adapter is ready (see bootstrapSource). Owns
 * the child process only: finds the inspector URL on stderr, forwards the program's output
 * (without the inspector's own chatter), reports the exit code once both output streams have
 * drained, and kills the whole process on request.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { RELEASED_SYMBOL_KEY } from "../../../engine/debug/inspectTypes";
import { Lifeline, watchdogAvailable } from "./lifeline";
import type { ProgramLaunch } from "./prepareProgram";

export interface DebuggeeSpawnOptions {
  runtimeExecutable: string;
  runtimeArgs: string[];
  script: string;
  args: string[];
  cwd: string;
  env: Record<string, string | null>;
  /** How the program runs through the loader, and the session's temp dir (for the bootstrap). */
  program: ProgramLaunch;
  /**
   * Preload the loader before the bootstrap's wait: an ES module program's hooks thread then
   * starts while the adapter attaches, but the program must be compiled before the spawn
   * (the loader reads its manifest). Otherwise the loader runs once the adapter lets the
   * program go, and the adapter compiles while node starts.
   */
  loaderFirst: boolean;
}

/**
 * Preloaded into the debuggee (--require), before the user's code:
 * 1. Where the adapter cannot start a watchdog shell (Windows, see lifeline.ts), the lifeline:
 *    fd 3 is a pipe whose other end only the adapter holds; when the adapter dies the pipe
 *    closes and the debuggee kills itself. It runs on a worker thread because the main thread
 *    may be blocked waiting for the debugger, paused at a breakpoint or spinning in an
 *    infinite loop; unref'd so it never keeps a finished program alive, and with empty
 *    execArgv so the worker doesn't inherit the inspector flags.
 * 2. inspector.waitForDebugger(): blocks until the adapter has set its breakpoints and sent
 *    Runtime.runIfWaitingForDebugger, so breakpoints on the first line bind (this is what
 *    --inspect-brk gives, minus the initial pause); then marks the program released (the
 *    adapter's sign that its message arrived, with or without the Debugger domain).
 * Main thread only: Node runs preloads again in every worker (the ES module hooks thread, the
 * program's own workers), where there is neither a debugger to wait for nor a lifeline to arm.
 */
const WORKER_LIFELINE = `try {
  const { Worker } = require("node:worker_threads");
  const watchdog = new Worker(
    'const net = require("node:net");' +
      // Also removes the session's temp dir (the compiled program): nobody else will.
      'const die = () => { try { require("node:fs").rmSync(' + JSON.stringify(__dirname) + ', { recursive: true, force: true }); } catch {} process.kill(process.pid, "SIGKILL"); };' +
      'const lifeline = new net.Socket({ fd: 3, readable: true, writable: false });' +
      'lifeline.on("close", die); lifeline.on("error", die); lifeline.resume();',
    { eval: true, stdout: false, stderr: false, execArgv: [] },
  );
  watchdog.unref();
} catch {}
`;

export function bootstrapSource(workerLifeline: boolean): string {
  return `"use strict";
if (!require("node:worker_threads").isMainThread) return;
${workerLifeline ? WORKER_LIFELINE : ""}require("node:inspector").waitForDebugger();
globalThis[Symbol.for(${JSON.stringify(RELEASED_SYMBOL_KEY)})] = true;
`;
}

export interface DebuggeeProcessEvents {
  output(category: "stdout" | "stderr", text: string): void;
  /** After stdout and stderr are fully delivered. code is null when killed by a signal. */
  exit(code: number | null, signal: NodeJS.Signals | null): void;
}

/** Lines node's inspector prints on stderr; they are the adapter's business, not the user's. */
const INSPECTOR_CHATTER = [
  /^Debugger listening on ws:\/\/\S+\r?\n/m,
  /^For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector\r?\n/m,
  /^Debugger attached\.\r?\n/m,
  /^Waiting for the debugger to disconnect\.\.\.\r?\n/m,
  /^Debugger ending on ws:\/\/\S+\r?\n/m,
];

export class DebuggeeProcess {
  private readonly child: ChildProcess;
  private stderrBuffer = "";
  private inspectorUrlResolve!: (url: string) => void;
  private inspectorUrlReject!: (error: Error) => void;
  /** Resolves with the ws:// URL the inspector listens on. */
  readonly inspectorUrl: Promise<string>;
  private exited = false;
  private lifeline: Lifeline | undefined;

  constructor(options: DebuggeeSpawnOptions, private readonly events: DebuggeeProcessEvents) {
    this.inspectorUrl = new Promise((resolve, reject) => {
      this.inspectorUrlResolve = resolve;
      this.inspectorUrlReject = reject;
    });
    // Not an unhandled rejection when the process dies before anyone asks (a failed compile kills it).
    this.inspectorUrl.catch(() => undefined);
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.program.env };
    for (const [name, value] of Object.entries(options.env)) {
      if (value === null) delete env[name];
      else env[name] = value;
    }
    // A NODE_OPTIONS --inspect from the user's shell would fight ours for the inspector.
    if (env.NODE_OPTIONS) env.NODE_OPTIONS = env.NODE_OPTIONS.replace(/--inspect(-brk)?(=\S*)?/g, "").trim();
    const bootstrap = path.join(options.program.scratchDir, "gradscope-bootstrap.cjs");
    writeFileSync(bootstrap, bootstrapSource(!watchdogAvailable));
    this.child = spawn(
      options.runtimeExecutable,
      [
        ...options.runtimeArgs,
        // Loopback only, random port: nothing else on the network can attach.
        "--inspect=127.0.0.1:0",
        ...(options.loaderFirst ? [...options.program.nodeArgs, "--require", bootstrap] : ["--require", bootstrap, ...options.program.nodeArgs]),
        options.script,
        ...options.args,
      ],
      { cwd: options.cwd, env, stdio: watchdogAvailable ? ["pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe", "pipe"] },
    );
    if (this.child.pid !== undefined) this.lifeline = Lifeline.arm(this.child.pid, options.program.scratchDir);
    // The debug console has no stdin to offer: a program that reads it gets EOF, not a hang.
    this.child.stdin!.end();
    this.child.stdout!.setEncoding("utf8");
    this.child.stderr!.setEncoding("utf8");
    this.child.stdout!.on("data", (text: string) => this.events.output("stdout", text));
    this.child.stderr!.on("data", (text: string) => this.onStderr(text));
    this.child.on("error", (error) => {
      this.inspectorUrlReject(new Error(`Cannot start '${options.runtimeExecutable}': ${error.message} (launch attribute 'runtimeExecutable').`));
      this.finish(null, null);
    });
    // 'close' fires after the stdio streams end, so all output precedes the exit report.
    this.child.on("close", (code, signal) => {
      this.inspectorUrlReject(new Error(`The debuggee exited (code ${code}) before its inspector was ready.\n${this.stderrBuffer}`));
      this.finish(code, signal);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  /** Kills the debuggee (SIGKILL: a paused inspector does not answer SIGTERM promptly). */
  kill(): void {
    if (this.exited || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGKILL");
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    this.lifeline?.disarm();
    this.events.exit(code, signal);
  }

  private onStderr(text: string): void {
    this.stderrBuffer += text;
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(this.stderrBuffer);
    if (match) this.inspectorUrlResolve(match[1]!);
    // Chatter arrives as whole lines in practice; strip it and pass the rest on in order.
    let userText = text;
    for (const pattern of INSPECTOR_CHATTER) userText = userText.replace(pattern, "");
    if (userText.length > 0) this.events.output("stderr", userText);
    if (this.stderrBuffer.length > 64 * 1024) this.stderrBuffer = this.stderrBuffer.slice(-4096);
  }
}
