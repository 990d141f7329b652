/**
 * A small DAP client for tests: spawns `node dist/debugAdapter.js`, frames messages with
 * Content-Length headers, matches responses to requests, and buffers events so a test
 * can wait for one that already arrived.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const ADAPTER = path.join(REPO_ROOT, "dist/debugAdapter.js");
export const FIXTURES = path.join(__dirname, "fixtures");

export class DapError extends Error {
  constructor(readonly response: DebugProtocol.Response) {
    super(response.body?.error?.format ?? response.message ?? "request failed");
  }
}

interface EventWaiter {
  event: string;
  predicate: (e: DebugProtocol.Event) => boolean;
  resolve: (e: DebugProtocol.Event) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class DapClient {
  readonly process: ChildProcess;
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private readonly pending = new Map<number, { resolve: (r: DebugProtocol.Response) => void; fail: (e: Error) => void; command: string }>();
  private readonly events: DebugProtocol.Event[] = [];
  private waiters: EventWaiter[] = [];
  /** Everything the adapter wrote to its own stderr (for failure messages). */
  adapterStderr = "";
  private exitPromise: Promise<number | null>;

  constructor(env: NodeJS.ProcessEnv = {}, adapter = ADAPTER) {
    this.process = spawn(process.execPath, [adapter], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
    this.process.stdout!.on("data", (chunk: Buffer) => this.onData(chunk));
    this.process.stderr!.on("data", (chunk: Buffer) => (this.adapterStderr += chunk.toString()));
    this.exitPromise = new Promise((resolve) => this.process.on("exit", (code) => resolve(code)));
    // An adapter that dies answers nothing: fail its requests now, saying so.
    this.process.on("exit", (code, signal) => {
      for (const [seq, pending] of this.pending) {
        this.pending.delete(seq);
        pending.fail(new Error(`the adapter exited (code ${code}, signal ${signal}) before answering '${pending.command}'\n${this.adapterStderr}`));
      }
    });
  }

  async request<R extends DebugProtocol.Response = DebugProtocol.Response>(command: string, args?: unknown): Promise<R> {
    const response = await this.send(command, args);
    if (!response.success) throw new DapError(response);
    return response as R;
  }

  /** Sends and returns the response whether it succeeded or not. */
  send(command: string, args?: unknown, timeoutMs = 20_000): Promise<DebugProtocol.Response> {
    const seq = this.seq++;
    const message = JSON.stringify({ seq, type: "request", command, arguments: args });
    this.process.stdin!.write(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
    return new Promise((resolve, reject) => {
      // A hung request should fail with a useful message, not time the whole test out.
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`no response to '${command}' (seq ${seq}). Events: ${this.events.map((e) => e.event).join(", ")}\nadapter stderr:\n${this.adapterStderr}`));
      }, timeoutMs);
      this.pending.set(seq, {
        command,
        resolve: (response) => {
          clearTimeout(timer);
          resolve(response);
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** Resolves with the first matching event not yet consumed (including past ones). */
  waitForEvent<E extends DebugProtocol.Event = DebugProtocol.Event>(
    event: string,
    predicate: (e: E) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<E> {
    const index = this.events.findIndex((e) => e.event === event && predicate(e as E));
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0] as E);
    return new Promise((resolve, reject) => {
      const waiter: EventWaiter = {
        event,
        predicate: predicate as (e: DebugProtocol.Event) => boolean,
        resolve: resolve as (e: DebugProtocol.Event) => void,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`timed out waiting for '${event}'. Output so far:\n${this.outputText()}\nadapter stderr:\n${this.adapterStderr}`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  waitForStop(): Promise<DebugProtocol.StoppedEvent> {
    return this.waitForEvent<DebugProtocol.StoppedEvent>("stopped");
  }

  /** All output events so far (kept, not consumed), concatenated per category. */
  outputText(category?: string): string {
    return this.allOutput
      .filter((e) => !category || e.body.category === category)
      .map((e) => e.body.output)
      .join("");
  }

  readonly allOutput: DebugProtocol.OutputEvent[] = [];

  /** initialize + launch + breakpoints + configurationDone, as VS Code does it. */
  async start(
    launch: Record<string, unknown>,
    breakpoints: Record<string, Array<number | DebugProtocol.SourceBreakpoint>> = {},
    exceptionFilters: string[] = [],
    /** More configuration (function breakpoints, say), sent before the exception filters. */
    configure: () => Promise<void> = async () => {},
  ): Promise<{ breakpoints: Record<string, DebugProtocol.Breakpoint[]>; launch: Promise<DebugProtocol.Response> }> {
    await this.request("initialize", { adapterID: "gradscope", clientID: "test", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
    const launchResponse = this.send("launch", { type: "gradscope", request: "launch", ...launch });
    const initialized = this.waitForEvent("initialized");
    const first = await Promise.race([initialized.then(() => null), launchResponse]);
    if (first && !first.success) throw new DapError(first);
    const bound: Record<string, DebugProtocol.Breakpoint[]> = {};
    for (const [file, lines] of Object.entries(breakpoints)) {
      const response = await this.request<DebugProtocol.SetBreakpointsResponse>("setBreakpoints", {
        source: { path: file },
        breakpoints: lines.map((l) => (typeof l === "number" ? { line: l } : l)),
      });
      bound[file] = response.body.breakpoints;
    }
    await configure();
    await this.request("setExceptionBreakpoints", { filters: exceptionFilters });
    await this.request("configurationDone");
    return { breakpoints: bound, launch: launchResponse };
  }

  async topFrame(): Promise<DebugProtocol.StackFrame> {
    const trace = await this.request<DebugProtocol.StackTraceResponse>("stackTrace", { threadId: 1 });
    return trace.body.stackFrames[0]!;
  }

  async stackTrace(): Promise<DebugProtocol.StackFrame[]> {
    return (await this.request<DebugProtocol.StackTraceResponse>("stackTrace", { threadId: 1 })).body.stackFrames;
  }

  /** Variables of the named scope ("Local" by default) in the top frame. */
  async scopeVariables(scopeName = "Local", frameId?: number): Promise<DebugProtocol.Variable[]> {
    const id = frameId ?? (await this.topFrame()).id;
    const scopes = await this.request<DebugProtocol.ScopesResponse>("scopes", { frameId: id });
    const scope = scopes.body.scopes.find((s) => s.name === scopeName);
    if (!scope) throw new Error(`no scope ${scopeName}: ${scopes.body.scopes.map((s) => s.name).join(", ")}`);
    return this.variables(scope.variablesReference);
  }

  async variables(variablesReference: number, extra: Partial<DebugProtocol.VariablesArguments> = {}): Promise<DebugProtocol.Variable[]> {
    return (await this.request<DebugProtocol.VariablesResponse>("variables", { variablesReference, ...extra })).body.variables;
  }

  async evaluate(expression: string, context = "repl", frameId?: number): Promise<DebugProtocol.EvaluateResponse["body"]> {
    return (await this.request<DebugProtocol.EvaluateResponse>("evaluate", { expression, context, frameId })).body;
  }

  /** Steps and waits for the resulting stop; returns the new top frame. */
  async step(command: "next" | "stepIn" | "stepOut" | "continue"): Promise<DebugProtocol.StackFrame> {
    const stopped = this.waitForStop();
    await this.request(command, { threadId: 1 });
    await stopped;
    return this.topFrame();
  }

  exited(): Promise<number | null> {
    return this.exitPromise;
  }

  /** Ends the session (disconnect) and waits for the adapter process to exit. */
  async close(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      await Promise.race([this.send("disconnect", { terminateDebuggee: true }).catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
      const timer = setTimeout(() => this.process.kill("SIGKILL"), 5000);
      await this.exitPromise;
      clearTimeout(timer);
    }
    for (const w of this.waiters) clearTimeout(w.timer);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const match = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString());
      if (!match) throw new Error("bad DAP header");
      const length = Number(match[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString()) as DebugProtocol.ProtocolMessage;
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: DebugProtocol.ProtocolMessage): void {
    if (message.type === "response") {
      const response = message as DebugProtocol.Response;
      const pending = this.pending.get(response.request_seq);
      this.pending.delete(response.request_seq);
      pending?.resolve(response);
    } else if (message.type === "event") {
      const event = message as DebugProtocol.Event;
      if (event.event === "output") this.allOutput.push(event as DebugProtocol.OutputEvent);
      const waiter = this.waiters.find((w) => w.event === event.event && w.predicate(event));
      if (waiter) {
        clearTimeout(waiter.timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(event);
      } else {
        this.events.push(event);
      }
    }
  }
}

/** Whether a process id is still alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
