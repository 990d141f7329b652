/**
 * The DAP session: translates Debug Adapter Protocol requests into calls on the
 * DebuggeeRuntime and its events back into DAP events. No CDP or debuggee knowledge
 * lives here beyond what the runtime exposes (the vscode-mock-debug split).
 */
import {
  DebugSession,
  Event,
  ExitedEvent,
  InitializedEvent,
  LoggingDebugSession,
  Logger,
  logger,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { resolveLaunchArguments, type GradscopeLaunchArguments } from "../launch/launchConfig";
import { warmUpTranspiler } from "../launch/tsModules";
import { DebuggeeRuntime, type StopEvent } from "../runtime/debuggeeRuntime";
import { EXCEPTION_FILTERS } from "../runtime/exceptionPolicy";
import type { BreakpointSpec } from "../runtime/breakpoints";
import { completions } from "../variables/completions";
import { VariableStore } from "../variables/variableStore";
import { StackFrames } from "./stackFrames";
import { defaultEngineDir } from "./engineLocation";
import { BackwardController } from "../backward/backwardController";
import { dataBreakpointTarget } from "../backward/dataBreakpointTarget";
import { NAN_INF_FILTER } from "../backward/stopText";
import { GraphService } from "../graph/graphService";
import { GRAPH_CHANGED_EVENT, GRAPH_REQUEST, type GraphChangedEventBody, type GraphRequestArguments } from "../../protocol/graphSnapshot";

const THREAD_ID = 1;

/** DAP error ids, stable so clients and tests can tell failures apart. */
const enum ErrorId {
  LaunchFailed = 3001,
  NotPaused = 3002,
  Evaluate = 3003,
  SetVariable = 3004,
  Source = 3005,
}

type LaunchRequestArguments = DebugProtocol.LaunchRequestArguments & Partial<GradscopeLaunchArguments>;

export class GradscopeDebugSession extends LoggingDebugSession {
  private runtime?: DebuggeeRuntime;
  private readonly variables = new VariableStore(() => this.runtime?.cdp);
  private readonly stackFrames = new StackFrames(() => this.runtime);
  /** Backward-pass stepping, node/data breakpoints, nanInf, warnings (src/debug/backward). */
  private readonly backward = new BackwardController({
    runtime: () => this.runtime,
    sendEvent: (event) => this.sendEvent(event),
    presentStop: (stop) => this.onStopped(stop),
  });
  private readonly graph = new GraphService();
  /** DAP breakpoints per source path, kept so a restart can set them again. */
  private readonly breakpointSpecs = new Map<string, BreakpointSpec[]>();
  private exceptionFilters: string[] = EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter);
  private configurationDone!: () => void;
  private readonly configured = new Promise<void>((resolve) => (this.configurationDone = resolve));
  private launchArguments?: LaunchRequestArguments;
  private sessionEnded = false;

  constructor(private readonly engineDir = defaultEngineDir()) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.stackFrames.syntheticTop = () => this.backward.syntheticFrame();
  }

  /** Kills the debuggee (adapter shutting down for any reason). */
  killDebuggee(): void {
    this.runtime?.terminate();
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    warmUpTranspiler();
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsTerminateRequest: true,
      supportsRestartRequest: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ["."],
      supportsLoadedSourcesRequest: true,
      supportsExceptionInfoRequest: true,
      supportsDelayedStackTraceLoading: true,
      exceptionBreakpointFilters: [...EXCEPTION_FILTERS, NAN_INF_FILTER],
      supportsStepBack: true,
      supportsFunctionBreakpoints: true,
      supportsDataBreakpoints: true,
    };
    this.sendResponse(response);
  }

  /**
   * LoggingDebugSession stringifies every message for its log even when the log is off. Past a
   * launch without `trace` the log is off for good (before it, the logger keeps messages until
   * launch sets it up), so messages skip that: stops, variables and output are on the per-stop
   * path, and a graph answer is hundreds of KB.
   */
  private get logsMessages(): boolean {
    return this.launchArguments === undefined || this.launchArguments.trace === true;
  }

  override sendResponse(response: DebugProtocol.Response): void {
    if (this.logsMessages) super.sendResponse(response);
    else DebugSession.prototype.sendResponse.call(this, response);
  }

  override sendEvent(event: DebugProtocol.Event): void {
    if (this.logsMessages) super.sendEvent(event);
    else DebugSession.prototype.sendEvent.call(this, event);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): Promise<void> {
    logger.setup(args.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
    this.launchArguments = args;
    try {
      await this.startRuntime(args);
    } catch (error) {
      this.failLaunch(response, error);
      return;
    }
    this.sendProcessEvent();
    this.sendEvent(new InitializedEvent());
    await this.configured;
    try {
      await this.runtime?.run();
      this.sendResponse(response);
    } catch (error) {
      this.failLaunch(response, error);
    }
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configurationDone();
    this.sendResponse(response);
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const sourcePath = args.source.path ? path.resolve(args.source.path) : undefined;
    const specs: BreakpointSpec[] = (args.breakpoints ?? []).map((b) => ({
      line: b.line,
      column: b.column,
      condition: b.condition,
      hitCondition: b.hitCondition,
      logMessage: b.logMessage,
    }));
    if (!sourcePath) {
      response.body = { breakpoints: specs.map((s) => ({ verified: false, line: s.line, message: "Breakpoints need a file on disk." })) };
      this.sendResponse(response);
      return;
    }
    this.breakpointSpecs.set(sourcePath, specs);
    if (specs.length > 0) await Promise.all([this.backward.recordForwardLocations(), this.runtime?.ensureDebugger()]);
    const breakpoints = this.runtime
      ? await this.runtime.breakpoints.setForSource(sourcePath, specs)
      : specs.map((s) => ({ verified: false, line: s.line, message: "The program is not running yet." }));
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    this.exceptionFilters = args.filters;
    await this.runtime?.setExceptionFilters(args.filters).catch(() => undefined);
    await this.backward.setNanInf(args.filters.includes(NAN_INF_FILTER.filter));
    await this.backward.setAutogradErrors(args.filters.includes("autogradErrors"));
    response.body = { breakpoints: args.filters.map(() => ({ verified: true })) };
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, "main")] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const frames = this.stackFrames.visibleFrames();
    const start = args.startFrame ?? 0;
    const end = args.levels ? start + args.levels : frames.length;
    response.body = { stackFrames: frames.slice(start, end).map((f) => this.stackFrames.toDap(f)), totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const frame = this.stackFrames.frame(args.frameId);
    response.body = { scopes: frame ? this.variables.scopes(frame.callFrame, frame.isUserCode, this.runtime?.importBindingsFor(frame.original?.path)) : [] };
    this.sendResponse(response);
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    try {
      response.body = { variables: await this.variables.variables(args.variablesReference, args.filter, args.start, args.count) };
    } catch {
      response.body = { variables: [] };
    }
    this.sendResponse(response);
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    const frame = this.stackFrames.frameOrTop(args.frameId);
    try {
      response.body = await this.variables.evaluate(
        args.expression,
        frame?.callFrame.callFrameId,
        args.context,
        this.runtime?.executionContextId,
        this.runtime?.importBindingsFor(frame?.original?.path),
      );
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, { id: ErrorId.Evaluate, format: (error as Error).message, showUser: false });
    }
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    try {
      const frame = this.stackFrames.visibleFrames()[0];
      const variable = await this.variables.setVariable(
        args.variablesReference,
        args.name,
        args.value,
        frame?.callFrame.callFrameId,
        this.runtime?.importBindingsFor(frame?.original?.path),
      );
      response.body = {
        value: variable.value,
        type: variable.type,
        variablesReference: variable.variablesReference,
        indexedVariables: variable.indexedVariables,
        namedVariables: variable.namedVariables,
      };
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, { id: ErrorId.SetVariable, format: (error as Error).message, showUser: true });
    }
  }

  protected override async completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): Promise<void> {
    const cdp = this.runtime?.cdp;
    const frame = this.stackFrames.frameOrTop(args.frameId);
    const imports = this.runtime?.importBindingsFor(frame?.original?.path);
    response.body = { targets: cdp ? await completions(cdp, args.text, args.column, frame?.callFrame, imports).catch(() => []) : [] };
    this.sendResponse(response);
  }

  protected override async exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): Promise<void> {
    const backwardInfo = this.backward.exceptionInfo();
    if (backwardInfo) {
      response.body = backwardInfo;
      this.sendResponse(response);
      return;
    }
    const pause = this.runtime?.paused;
    const exception = pause?.exception;
    const description = exception?.description ?? String(exception?.value ?? "exception");
    const [headline, ...stack] = description.split("\n");
    const colon = headline!.indexOf(": ");
    response.body = {
      exceptionId: exception?.className ?? "Error",
      description: colon >= 0 ? headline!.slice(colon + 2) : headline,
      breakMode: pause?.uncaught ? "unhandled" : "always",
      details: { message: headline, typeName: exception?.className, stackTrace: stack.join("\n") },
    };
    this.sendResponse(response);
  }

  protected override async continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    response.body = { allThreadsContinued: true };
    await this.resumeWith(response, () => this.backward.continue(() => this.runtime!.continue()));
    this.sendGraphChanged("continued");
  }

  // Inside a backward pass the controller turns these into node steps (src/debug/backward).
  protected override async nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    await this.resumeWith(response, () => this.backward.next(() => this.runtime!.step("over")));
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    await this.resumeWith(response, () => this.backward.stepIn(() => this.runtime!.step("into")));
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    await this.resumeWith(response, () => this.backward.stepOut(() => this.runtime!.step("out")));
  }

  protected override async stepBackRequest(response: DebugProtocol.StepBackResponse): Promise<void> {
    await this.replayWith(response, () => this.backward.stepBack());
  }

  protected override async reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): Promise<void> {
    await this.replayWith(response, () => this.backward.reverseContinue());
  }

  protected override async setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): Promise<void> {
    response.body = { breakpoints: await this.backward.setFunctionBreakpoints(args.breakpoints) };
    this.sendResponse(response);
  }

  protected override async dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): Promise<void> {
    const frame = this.stackFrames.frameOrTop(args.frameId);
    const target = await dataBreakpointTarget(args, this.variables, this.runtime?.cdp, frame?.callFrame.callFrameId).catch((error: Error) => ({
      dataId: null,
      description: error.message,
      tensorId: undefined,
    }));
    if (target.tensorId !== undefined) this.backward.dataBreakpoints.describe(target.tensorId, target.description);
    response.body = { dataId: target.dataId, description: target.description, accessTypes: target.dataId ? ["write"] : undefined, canPersist: false };
    this.sendResponse(response);
  }

  protected override async setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): Promise<void> {
    response.body = { breakpoints: await this.backward.setDataBreakpoints(args.breakpoints) };
    this.sendResponse(response);
  }

  /** `gradscope.graph` (src/debug/graph); anything else is unknown. */
  protected override async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    if (command !== GRAPH_REQUEST) {
      super.customRequest(command, response, args);
      return;
    }
    try {
      const graphArgs = (args ?? {}) as GraphRequestArguments;
      const frame = this.graphFrame(graphArgs.frameId);
      // The compact form (src/protocol/compactSnapshot.ts): a 20,000-node graph is ~0.6 MB of JSON.
      response.body = await this.graph.snapshot(this.runtime, graphArgs, frame);
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, { id: ErrorId.Evaluate, format: (error as Error).message, showUser: false });
    }
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    await this.runtime?.pause().catch(() => undefined);
    this.sendResponse(response);
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    const sources = this.runtime?.programSources ?? [];
    response.body = { sources: sources.map((p) => ({ name: path.basename(p), path: p })) };
    this.sendResponse(response);
  }

  protected override async sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): Promise<void> {
    try {
      const reference = args.source?.sourceReference ?? args.sourceReference;
      const scriptId = reference ? this.stackFrames.scriptForSourceReference(reference) : undefined;
      if (scriptId && this.runtime?.cdp) {
        const { scriptSource } = await this.runtime.cdp.send("Debugger.getScriptSource", { scriptId });
        response.body = { content: scriptSource, mimeType: "text/javascript" };
      } else if (args.source?.path) {
        response.body = { content: readFileSync(args.source.path, "utf8") };
      } else {
        throw new Error("Unknown source.");
      }
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, { id: ErrorId.Source, format: (error as Error).message, showUser: false });
    }
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): Promise<void> {
    const launch = (args.arguments as LaunchRequestArguments | undefined) ?? this.launchArguments;
    const old = this.runtime;
    this.runtime = undefined; // its exit must not end this session
    old?.terminate();
    this.resetPauseState();
    try {
      if (!launch) throw new Error("Nothing to restart.");
      await this.startRuntime(launch);
      if ([...this.breakpointSpecs.values()].some((specs) => specs.length > 0)) await this.runtime!.ensureDebugger();
      for (const [sourcePath, specs] of this.breakpointSpecs) await this.runtime!.breakpoints.setForSource(sourcePath, specs);
      this.sendProcessEvent();
      await this.runtime!.run();
      this.sendResponse(response);
    } catch (error) {
      this.failLaunch(response, error);
    }
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.runtime?.terminate();
    if (!this.runtime) this.endSession(null);
    this.sendResponse(response);
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.runtime?.terminate();
    this.sendResponse(response);
    this.shutdown();
  }

  // ---- helpers ----

  private async startRuntime(args: LaunchRequestArguments): Promise<void> {
    const resolved = resolveLaunchArguments(args as Record<string, unknown>);
    const runtime = new DebuggeeRuntime(resolved, this.engineDir, {
      stopped: (event) => {
        if (this.runtime === runtime) this.onStopped(event);
      },
      output: (category, text) => {
        if (this.runtime === runtime) this.sendEvent(new OutputEvent(text, category));
      },
      exited: (code, signal) => {
        if (this.runtime === runtime) this.onExited(code, signal);
      },
    });
    this.runtime = runtime;
    try {
      runtime.exceptions.setFilters(this.exceptionFilters);
      if (resolved.stopOnEntry) void this.backward.recordForwardLocations(); // no debuggee yet: taken at attach
      await runtime.start(() => this.backward.attach(runtime, this.engineDir));
    } catch (error) {
      this.runtime = undefined;
      runtime.terminate();
      throw error;
    }
  }

  /** DAP `process` event: lets clients (and tests) know the debuggee's pid. */
  private sendProcessEvent(): void {
    const program = this.launchArguments?.program;
    this.sendEvent(
      new Event("process", { name: program ?? "program", systemProcessId: this.runtime?.pid, isLocalProcess: true, startMethod: "launch" }),
    );
  }

  private async resumeWith(response: DebugProtocol.Response, action: () => Promise<void>): Promise<void> {
    if (!this.runtime?.paused) {
      this.sendErrorResponse(response, { id: ErrorId.NotPaused, format: "The program is not paused.", showUser: false });
      return;
    }
    this.resetPauseState();
    this.sendResponse(response);
    await action().catch(() => undefined);
  }

  /** Step back / reverse continue: presented from the recording, the debuggee stays paused. */
  private async replayWith(response: DebugProtocol.Response, action: () => Promise<void>): Promise<void> {
    if (!this.runtime?.paused || !this.backward.canStepBack) {
      this.sendErrorResponse(response, { id: ErrorId.NotPaused, format: "Step Back moves through the nodes of a backward pass being stepped.", showUser: false });
      return;
    }
    this.sendResponse(response);
    await action().catch(() => undefined);
  }

  /** The V8 frame whose scopes root a graph request: the given frame, else the top user frame. */
  private graphFrame(frameId: number | undefined) {
    const frames = this.stackFrames.visibleFrames();
    const given = frameId !== undefined ? this.stackFrames.frame(frameId) : undefined;
    const frame = given && !given.synthetic ? given : frames.find((f) => !f.synthetic && f.isUserCode) ?? frames.find((f) => !f.synthetic);
    return frame?.callFrame;
  }

  private sendGraphChanged(reason: GraphChangedEventBody["reason"]): void {
    this.sendEvent(new Event(GRAPH_CHANGED_EVENT, this.graph.changed(reason)));
  }

  private resetPauseState(): void {
    this.stackFrames.reset();
    this.variables.reset();
  }

  private onStopped(event: StopEvent): void {
    this.resetPauseState();
    const stopped = new StoppedEvent(event.reason, THREAD_ID, event.text) as DebugProtocol.StoppedEvent;
    stopped.body.description = event.description;
    stopped.body.hitBreakpointIds = event.hitBreakpointIds;
    stopped.body.allThreadsStopped = true;
    this.sendEvent(stopped);
    // The pause's frames, listed once: a backward node stop has its synthetic frame on top.
    const top = this.stackFrames.visibleFrames()[0];
    this.sendGraphChanged(top?.synthetic ? "backwardStep" : "stopped");
    if (top) this.variables.prefetch(top.callFrame, top.isUserCode, this.runtime?.importBindingsFor(top.original?.path));
    // Whatever stopped it, the user is looking now: the engine records forward lines from here on.
    void this.backward.recordForwardLocations();
  }

  private onExited(code: number | null, signal: NodeJS.Signals | null): void {
    const exitCode = code ?? (signal ? 128 + (signalNumber(signal) ?? 9) : 1);
    const how = code !== null ? `exited with code ${code}` : `was killed (${signal ?? "unknown signal"})`;
    this.sendEvent(new OutputEvent(`\nProcess ${how}.\n`, "console"));
    this.sendEvent(new ExitedEvent(exitCode));
    this.endSession(exitCode);
  }

  private endSession(_exitCode: number | null): void {
    if (this.sessionEnded) return;
    this.sessionEnded = true;
    this.runtime = undefined;
    this.resetPauseState();
    this.sendGraphChanged("terminated");
    this.sendEvent(new TerminatedEvent());
  }

  private failLaunch(response: DebugProtocol.Response, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.sendErrorResponse(response, { id: ErrorId.LaunchFailed, format: message, showUser: true });
    this.endSession(null);
  }
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGSEGV: 11, SIGABRT: 6 } as Partial<Record<NodeJS.Signals, number>>)[signal];
}
