/**
 * The runtime owns one debuggee (as in vscode-mock-debug's runtime/session split): it
 * prepares (compiles) and starts the program, drives V8 over CDP, decides which pauses the user
 * sees, and tells the session what happened in DAP-free terms. The session only
 * translates between DAP and this class.
 */
import { rmSync } from "node:fs";
import type { Protocol } from "devtools-protocol";
import { CdpConnection } from "../cdp/cdpConnection";
import { DebuggeeProcess } from "../launch/debuggeeProcess";
import type { ResolvedLaunch } from "../launch/launchConfig";
import { prepareProgram, programLaunch, type PreparedProgram, type ProgramLaunch } from "../launch/prepareProgram";
import { nodeFormat } from "../launch/tsModules";
import { RELEASED_SYMBOL_KEY } from "../../../engine/debug/inspectTypes";
import { SourceMapStore, pathToUrl } from "../sourceMaps/sourceMapStore";
import type { ImportBindings } from "../sourceMaps/importBindings";
import { BreakpointManager } from "./breakpoints";
import { ExceptionPolicy, exceptionStopEvent } from "./exceptionPolicy";

export type StopReason = "entry" | "breakpoint" | "step" | "pause" | "exception" | "function breakpoint" | "data breakpoint";

/**
 * What a pause interceptor (the backward-stepping controller) decided about a pause:
 * a stop to present, "resume" to let the program go on, "handled" when it already moved
 * the debuggee itself, or undefined to leave the pause to the runtime's own rules.
 */
export type PauseDecision = StopEvent | "resume" | "handled" | undefined;

export interface StopEvent {
  reason: StopReason;
  description?: string;
  text?: string;
  hitBreakpointIds?: number[];
  /** The exception of an exception stop (what exceptionInfo describes). */
  exception?: Protocol.Runtime.RemoteObject;
}

export interface RuntimeEvents {
  stopped(event: StopEvent): void;
  output(category: "stdout" | "stderr" | "console", text: string): void;
  /** The debuggee is gone and all its output has been delivered. */
  exited(code: number | null, signal: NodeJS.Signals | null): void;
}

export type ScriptKind = "user" | "engine" | "internal" | "other";

export interface ScriptInfo {
  scriptId: string;
  url: string;
  kind: ScriptKind;
}

export interface PauseState {
  callFrames: Protocol.Debugger.CallFrame[];
  reason: StopReason;
  exception?: Protocol.Runtime.RemoteObject;
  uncaught?: boolean;
}

/** Bound on automatic step-outs from skipped code, so a pathological stack can't spin forever. */
const MAX_AUTO_STEPS = 50;

type Phase = "starting" | "running" | "paused" | "ended";

export class DebuggeeRuntime {
  readonly maps = new SourceMapStore();
  readonly breakpoints: BreakpointManager;
  readonly exceptions = new ExceptionPolicy();
  private cdpConnection?: CdpConnection;
  private debuggee?: DebuggeeProcess;
  private program?: PreparedProgram;
  /** The session's temp dir (compiled program, bootstrap), removed when the session ends. */
  private scratchDir?: string;
  /** URLs of the program's own files (compiled ahead), and of its entry. */
  private programUrls = new Set<string>();
  private entryUrl?: string;
  private readonly scripts = new Map<string, ScriptInfo>();
  private phase: Phase = "starting";
  private pauseState?: PauseState;
  /** What the user last asked for, to name the next pause (V8 says "other" for both). */
  private pending: "step" | "pause" | null = null;
  private blackboxActive = false;
  private entryBreakpointId?: string;
  private mainContextId?: number;
  private exitReported = false;
  /** Steps taken on the user's behalf to leave skipped code since the last stop. */
  private autoSteps = 0;
  /** The Debugger domain: turned on (or being turned on) once something needs it (ensureDebugger). */
  private debuggerReady?: Promise<void>;
  private readonly timing = startTiming();

  constructor(
    private readonly launch: ResolvedLaunch,
    private readonly engineDir: string,
    private readonly events: RuntimeEvents,
  ) {
    this.breakpoints = new BreakpointManager(this.maps, () => this.cdpConnection);
  }

  get cdp(): CdpConnection | undefined {
    return this.cdpConnection;
  }

  get paused(): PauseState | undefined {
    return this.phase === "paused" ? this.pauseState : undefined;
  }

  get stepIntoEngine(): boolean {
    return this.launch.stepIntoEngine;
  }

  get programSources(): string[] {
    return this.program ? [...this.program.maps.keys()] : [];
  }

  get pid(): number | undefined {
    return this.debuggee?.pid;
  }

  get executionContextId(): number | undefined {
    return this.mainContextId;
  }

  /** Imported names sucrase rewrote in one of the program's files (see sourceMaps/importBindings). */
  importBindingsFor(sourcePath: string | undefined): ImportBindings | undefined {
    return sourcePath ? this.program?.importBindings(sourcePath) : undefined;
  }

  script(scriptId: string): ScriptInfo | undefined {
    return this.scripts.get(scriptId);
  }

  /**
   * Compiles, spawns and attaches; the program stays paused before its first line.
   * `onConnected` runs as soon as CDP is up (the backward controller's setup): its requests go
   * out with the runtime's own, and the debuggee waits for one round of answers, not two.
   */
  async start(onConnected: () => Promise<void> = async () => {}): Promise<void> {
    const timing = this.timing;
    const launchFiles = programLaunch(this.engineDir);
    this.scratchDir = launchFiles.scratchDir;
    // An ES module program by Node's rules compiles first, so its loader (and the module hooks
    // thread) can start before the wait; any other program compiles while node starts.
    const loaderFirst = nodeFormat(this.launch.program) === "esm";
    if (loaderFirst) this.compile(launchFiles);
    this.debuggee = new DebuggeeProcess(
      {
        runtimeExecutable: this.launch.runtimeExecutable,
        runtimeArgs: this.launch.runtimeArgs,
        script: this.launch.program,
        args: this.launch.args,
        cwd: this.launch.cwd,
        env: this.launch.env,
        program: launchFiles,
        loaderFirst,
      },
      {
        output: (category, text) => this.events.output(category, text),
        exit: (code, signal) => this.onExit(code, signal),
      },
    );
    timing("spawned");
    if (!loaderFirst) this.compile(launchFiles);
    timing("compiled");
    const url = await this.debuggee.inspectorUrl;
    timing("inspector listening");
    const cdp = await CdpConnection.connect(url);
    this.cdpConnection = cdp;
    cdp.on("Debugger.scriptParsed", (e) => this.onScriptParsed(e));
    cdp.on("Debugger.paused", (e) => void this.onPaused(e).catch(() => undefined));
    cdp.on("Debugger.resumed", () => this.onResumed());
    cdp.on("Debugger.breakpointResolved", (e) => this.breakpoints.onResolved(e.breakpointId, e.location));
    cdp.on("Runtime.executionContextCreated", (e) => {
      if (this.mainContextId === undefined) this.mainContextId = e.context.id;
    });
    cdp.on("Runtime.executionContextDestroyed", (e) => {
      // The program has finished; node now waits for us to let go before it exits.
      if (e.executionContextId === this.mainContextId) {
        this.timing("program finished");
        cdp.close();
      }
    });
    cdp.onDidClose(() => {
      // Killed from outside or finished: the process's own exit event reports the code.
      if (this.debuggee && !this.debuggee.hasExited) setTimeout(() => this.debuggee?.kill(), 2000).unref();
    });
    // Sent together: CDP answers in order, and the debuggee waits for us anyway (one round trip).
    await Promise.all([
      cdp.send("Runtime.enable"),
      // Runtime.enable makes V8 capture up to 200 frames for *every* Error created from then on
      // (the inspector's "stack trace for uncaught exceptions"), whatever Error.stackTraceLimit
      // says: the engine records a short stack per op while debugged, which then cost 5-20x more
      // (and every user Error too). Nothing here reads those inspector-side traces.
      cdp.send("Runtime.setMaxCallStackSizeToCapture", { size: 0 }).catch(() => undefined),
      onConnected(),
    ]);
    timing("attached");
  }

  /**
   * The Debugger domain, turned on by the first thing that needs it: a source breakpoint, an
   * exception filter V8 must pause for (uncaught, all), a pause request, stopOnEntry, a
   * `debugger` statement in the program, or the engine asking before it calls one of its hooks
   * (a backward-node stop for stepping, a function breakpoint or nanInf; a data breakpoint; an
   * autogradErrors stop). V8's Debugger.enable costs the debuggee ~0.3 ms per loaded script
   * (~35 ms at start-up, and as much again for every script compiled afterwards), which a
   * program run with none of these (F5 on a training script) need not pay.
   * `onDebuggerEnabled` (the backward controller's engine hooks) goes out with it.
   */
  ensureDebugger(): Promise<void> {
    return (this.debuggerReady ??= this.enableDebugger());
  }

  /** The Debugger domain is on, or being turned on. */
  get debuggerEnabled(): boolean {
    return this.debuggerReady !== undefined;
  }

  /** Seam for backward stepping: setup that needs the Debugger domain (its engine hooks), sent with Debugger.enable. */
  onDebuggerEnabled?: () => Promise<void>;

  private async enableDebugger(): Promise<void> {
    const cdp = this.cdpConnection;
    if (!cdp || cdp.isClosed) return;
    this.timing("enabling the debugger");
    await Promise.all([cdp.send("Debugger.enable", {}), this.applyExceptionFilters(), this.onDebuggerEnabled?.()]);
    this.timing("debugger enabled");
  }

  /** Compiles the program into `launchFiles`' manifest and learns its files' source maps. */
  private compile(launchFiles: ProgramLaunch): void {
    this.program = prepareProgram(this.launch.program, launchFiles);
    for (const [file, map] of this.program.maps) {
      this.maps.register(pathToUrl(file), map);
      this.programUrls.add(pathToUrl(file));
    }
    this.entryUrl = pathToUrl(this.program.entry);
    this.programUrls.add(this.entryUrl);
  }

  /** Called once configuration is done: lets the program run (with breakpoints bound). */
  async run(): Promise<void> {
    try {
      await this.runUnguarded();
    } catch (error) {
      // The debuggee died while starting (killed, crashed): its exit event tells the rest.
      if (!this.cdpConnection?.isClosed) throw error;
    }
  }

  private async runUnguarded(): Promise<void> {
    const cdp = this.cdpConnection;
    if (!cdp || !this.program) return;
    // Breakpoints set during configuration may still be turning it on: wait for that too.
    const needed = this.launch.stopOnEntry || this.program.mentionsDebugger || this.exceptions.v8State !== "none";
    await (needed ? this.ensureDebugger() : this.debuggerReady);
    if (this.launch.stopOnEntry) {
      const entry = this.maps.toGenerated(this.launch.program, 1) ?? (this.entryUrl ? { url: this.entryUrl, line: 0, column: 0 } : null);
      if (entry) {
        const result = await cdp.send("Debugger.setBreakpointByUrl", { url: entry.url, lineNumber: entry.line, columnNumber: entry.column });
        this.entryBreakpointId = result.breakpointId;
      }
    }
    this.phase = "running";
    this.timing("releasing");
    await this.releaseProgram();
  }

  /** Lets the program past its bootstrap's waitForDebugger(), which marks it released (RELEASED_SYMBOL_KEY). */
  private async releaseProgram(): Promise<void> {
    await this.releaseWhile(`globalThis[Symbol.for(${JSON.stringify(RELEASED_SYMBOL_KEY)})] !== true`);
  }

  /**
   * Sends Runtime.runIfWaitingForDebugger while `waiting` (an expression in the program's
   * context) is true: the bootstrap's wait, or the engine's for the Debugger domain. Node drops
   * the message when nothing waits yet (the waiter then waits for the next one), so it is
   * repeated, backing off, and `waiting` is asked only in between: a repeat never releases a
   * later, different wait. Stops when there is no answer (the program finished, or died).
   */
  async releaseWhile(waiting: string): Promise<void> {
    const cdp = this.cdpConnection;
    for (let attempt = 0; cdp && !cdp.isClosed; attempt++) {
      await cdp.send("Runtime.runIfWaitingForDebugger");
      await new Promise((resolve) => setTimeout(resolve, Math.min(5 * 2 ** attempt, 100)));
      const answer = await cdp.send("Runtime.evaluate", { expression: waiting, returnByValue: true, silent: true, contextId: this.mainContextId }).catch(() => undefined);
      if (answer?.result.value !== true) return;
    }
  }

  async setExceptionFilters(filters: string[]): Promise<void> {
    this.exceptions.setFilters(filters);
    if (this.exceptions.v8State !== "none") await this.ensureDebugger();
    // Without the Debugger domain there is nothing to set: enabling it applies them.
    if (this.debuggerEnabled) await this.applyExceptionFilters();
  }

  /**
   * Runs on. The connection nudges until the next pause, as after a step: node's inspector
   * would otherwise hold that paused event ~40 ms for our ACK (cdpConnection.ts), most of the
   * time of a backward node step or of a Continue to the next node a breakpoint names. A
   * program that never pauses again gets one tiny message every 64 ms until it ends.
   */
  async continue(): Promise<void> {
    await this.setBlackbox(false);
    this.pending = null;
    this.cdpConnection?.expectEvent("Debugger.paused");
    await this.cdpConnection?.send("Debugger.resume", {});
  }

  async step(kind: "over" | "into" | "out"): Promise<void> {
    await this.setBlackbox(!this.launch.stepIntoEngine);
    this.pending = "step";
    const cdp = this.cdpConnection;
    if (!cdp) return;
    cdp.expectEvent("Debugger.paused");
    if (kind === "over") await cdp.send("Debugger.stepOver", {});
    else if (kind === "into") await cdp.send("Debugger.stepInto", {});
    else await cdp.send("Debugger.stepOut");
  }

  async pause(): Promise<void> {
    if (this.phase !== "running") return;
    await this.ensureDebugger();
    if (this.phase !== "running") return;
    this.pending = "pause";
    this.cdpConnection?.expectEvent("Debugger.paused");
    await this.cdpConnection?.send("Debugger.pause");
  }

  /** Kills the debuggee; `exited` follows once its output has drained. */
  terminate(): void {
    this.cdpConnection?.close();
    this.debuggee?.kill();
    // Now, not on exit: the adapter itself may be exiting and never see the exit event.
    this.removeOutput();
    if (!this.debuggee) this.onExit(null, null);
  }

  /** True when a script URL belongs to the engine bundle. */
  isEngineUrl(url: string): boolean {
    return url.startsWith("file://") && /\/engine\.(c|m)?js$/.test(url) && url.startsWith(pathToUrl(this.engineDir));
  }

  /** Gradscope's loader in the debuggee (dist/loader.cjs, sucrase.cjs): plumbing, shown and skipped like Node's internals. */
  private isLoaderUrl(url: string): boolean {
    return /\/(loader|loaderHooks|sucrase)\.cjs$/.test(url) && url.startsWith(pathToUrl(this.engineDir));
  }

  /** What V8 was last told to pause on (launch sets the same filters several times). */
  private appliedPauseState?: "none" | "uncaught" | "all";

  private async applyExceptionFilters(): Promise<void> {
    const cdp = this.cdpConnection;
    const state = this.exceptions.v8State;
    if (!cdp || state === this.appliedPauseState) return;
    this.appliedPauseState = state;
    await cdp.send("Debugger.setPauseOnExceptions", { state }).catch((error: Error) => {
      this.appliedPauseState = undefined;
      throw error;
    });
  }

  /**
   * Engine and node internals are blackboxed only while stepping: V8 would otherwise also
   * refuse to pause on caught exceptions thrown inside them, which `autogradErrors` needs.
   */
  private async setBlackbox(on: boolean): Promise<void> {
    if (this.blackboxActive === on || !this.cdpConnection) return;
    this.blackboxActive = on;
    const engineUrlPattern = "^" + escapeRegExp(pathToUrl(this.engineDir)) + "/engine\\.(c|m)?js$";
    await this.cdpConnection.send("Debugger.setBlackboxPatterns", { patterns: on ? [engineUrlPattern, "^node:"] : [] });
  }

  private onScriptParsed(event: Protocol.Debugger.ScriptParsedEvent): void {
    const { scriptId, url } = event;
    let kind: ScriptKind = "other";
    if (url.startsWith("node:") || url === "" || !url.includes(":") || this.isLoaderUrl(url)) kind = "internal";
    else if (this.isEngineUrl(url)) kind = "engine";
    else if (this.programUrls.has(url)) {
      kind = "user";
      if (url === this.entryUrl) this.timing("program started");
    }
    this.scripts.set(scriptId, { scriptId, url, kind });
    if (kind === "engine" || (kind === "other" && event.sourceMapURL)) this.maps.loadForScript(url, event.sourceMapURL);
  }

  private async onPaused(event: Protocol.Debugger.PausedEvent): Promise<void> {
    const cdp = this.cdpConnection;
    if (!cdp) return;
    const top = event.callFrames[0];
    const hitIds = event.hitBreakpoints ?? [];
    const resume = () => cdp.send("Debugger.resume", {}).catch(() => undefined);

    // Backward stepping (src/debug/backward) claims the pauses in the engine's hooks first.
    if (this.interceptPause && (await this.claimedByInterceptor(event, this.interceptPause))) return;

    if (event.reason === "exception" || event.reason === "promiseRejection") {
      const data = event.data as (Protocol.Runtime.RemoteObject & { uncaught?: boolean }) | undefined;
      const thrownByEngine = event.callFrames.some((f) => this.scripts.get(f.location.scriptId)?.kind === "engine");
      const uncaught = data?.uncaught ?? false;
      if (!this.exceptions.shouldStop(data, uncaught, thrownByEngine)) {
        await resume();
        return;
      }
      this.stop(event, { reason: "exception", exception: data, uncaught }, exceptionStopEvent(data, uncaught));
      return;
    } else if (hitIds.length > 0 && !this.breakpoints.registerHits(hitIds)) {
      // A hit-count breakpoint that doesn't want this hit; keep whatever the user was doing.
      if (this.pending === "step") await this.step("over");
      else await resume();
      return;
    }

    if (this.entryBreakpointId !== undefined && hitIds.includes(this.entryBreakpointId)) {
      const entryId = this.entryBreakpointId;
      this.entryBreakpointId = undefined;
      void cdp.send("Debugger.removeBreakpoint", { breakpointId: entryId }).catch(() => undefined);
      this.stop(event, { reason: "entry" }, { reason: "entry" });
      return;
    }
    const userHits = this.breakpoints.dapIdsFor(hitIds);
    if (userHits.length > 0) {
      this.stop(event, { reason: "breakpoint" }, { reason: "breakpoint", hitBreakpointIds: userHits });
    } else if (this.pending === "step") {
      if (top && this.isSkipped(top.location.scriptId) && this.autoSteps < MAX_AUTO_STEPS) {
        // V8 doesn't blackbox Node's internals (and blackboxing is a hint, not a promise):
        // a step that lands in skipped code steps out of it, as js-debug's skipFiles do.
        this.autoSteps++;
        cdp.expectEvent("Debugger.paused");
        await cdp.send("Debugger.stepOut").catch(() => undefined);
        return;
      }
      this.stop(event, { reason: "step" }, { reason: "step" });
    } else if (this.pending === "pause") {
      this.stop(event, { reason: "pause" }, { reason: "pause" });
    } else {
      this.stop(event, { reason: "breakpoint" }, { reason: "breakpoint", description: "Paused on debugger statement" });
    }
  }

  /** Seam for backward stepping: sees every pause after the entry one, before the rules below. */
  interceptPause?: (event: Protocol.Debugger.PausedEvent) => Promise<PauseDecision>;

  private async claimedByInterceptor(event: Protocol.Debugger.PausedEvent, intercept: (event: Protocol.Debugger.PausedEvent) => Promise<PauseDecision>): Promise<boolean> {
    const decision = await intercept(event).catch(() => undefined);
    if (decision === undefined) return false;
    if (decision === "resume") await this.cdpConnection?.send("Debugger.resume", {}).catch(() => undefined);
    else if (decision !== "handled") this.stop(event, { reason: decision.reason, exception: decision.exception, uncaught: false }, decision);
    return true;
  }

  /** Code the user never steps into: Node internals, and the engine unless stepIntoEngine. */
  private isSkipped(scriptId: string): boolean {
    const kind = this.scripts.get(scriptId)?.kind;
    return kind === "internal" || (kind === "engine" && !this.launch.stepIntoEngine);
  }

  private stop(event: Protocol.Debugger.PausedEvent, state: Omit<PauseState, "callFrames">, stopEvent: StopEvent): void {
    this.pending = null;
    this.autoSteps = 0;
    this.phase = "paused";
    this.pauseState = { callFrames: event.callFrames, ...state };
    this.events.stopped(stopEvent);
  }

  private onResumed(): void {
    if (this.phase === "paused") this.phase = "running";
    this.pauseState = undefined;
  }

  private removeOutput(): void {
    if (this.scratchDir) rmSync(this.scratchDir, { recursive: true, force: true });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitReported) return;
    this.exitReported = true;
    this.timing("exited");
    this.phase = "ended";
    this.cdpConnection?.close();
    this.removeOutput();
    this.events.exited(code, signal);
  }
}

/** GRADSCOPE_TIMING=1: the session's stages on the adapter's stderr, with the adapter's CPU time so far (for tuning launch time). */
function startTiming(): (stage: string) => void {
  if (!process.env.GRADSCOPE_TIMING) return () => undefined;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return (stage) => {
    const cpu = process.cpuUsage(cpu0);
    process.stderr.write(`gradscope timing: ${stage} at ${(performance.now() - t0).toFixed(1)} ms, adapter CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms\n`);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
