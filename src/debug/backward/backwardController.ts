/**
 * Stepping through backward passes. Owns everything backward-specific the session does:
 * - claims the pauses in the engine's hooks before the runtime's own rules see them, and
 *   turns each into a stop at one node (stepping, function breakpoint, NaN/Inf, data breakpoint);
 * - arms the engine's stepping for Step Into and keeps Step Over/Into/Out/Continue meaning
 *   "next node" / "finish the pass" / "run on" while paused at a node;
 * - steps back by replaying what the engine recorded at earlier stops of the pass (the
 *   debuggee cannot rewind), and forward again until it reaches the live stop;
 * - provides the synthetic top frame, and relays engine warnings to the debug console;
 * - decides when the engine records forward lines (see recordForwardLocations).
 */
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { Protocol } from "devtools-protocol";
import { DEBUGGER_REQUEST_CONSOLE_TAG, type DebuggerConfig, type GradWriteEvent, type NodeStopDetails } from "../../../engine/debug/inspectTypes";
import type { DebuggeeRuntime, PauseDecision, StopEvent } from "../runtime/debuggeeRuntime";
import { exceptionStopEvent } from "../runtime/exceptionPolicy";
import { DataBreakpoints } from "./dataBreakpoints";
import { CURRENT_ERROR, CURRENT_GRAD_WRITE, CURRENT_STOP, ENGINE_AWAITS_DEBUGGER, NODE_FRAME, callByValue, callInGroup, configureExpression, scopeArguments } from "./engineCalls";
import { EngineHooks } from "./engineHooks";
import { FunctionBreakpoints } from "./functionBreakpoints";
import { PassHistory } from "./passHistory";
import { gradWriteStopEvent, nodeStopEvent, nonFiniteText } from "./stopText";
import type { SyntheticFrameSource } from "../session/stackFrames";
import { syntheticNodeFrame } from "./syntheticFrame";
import { warningFromConsole, warningOutputEvent } from "./warningRelay";

export interface BackwardHost {
  runtime(): DebuggeeRuntime | undefined;
  sendEvent(event: DebugProtocol.Event): void;
  /** Presents a stop without resuming the debuggee (step back and its replay forward). */
  presentStop(stop: StopEvent): void;
}

type CallFrame = Protocol.Debugger.CallFrame;
/** Exception filters the engine itself applies (not V8's pause-on-exceptions). */
type EngineFilter = "nanInf" | "autogradErrors";

const OBJECT_GROUP = "gradscope-backward";
/** The error of the last autogradErrors stop. */
const ERROR_GROUP = "gradscope-engine-error";

interface Presented {
  details: NodeStopDetails;
  frameObjectId: string | undefined;
  userFrame: CallFrame | undefined;
  replayed: boolean;
}

export class BackwardController {
  private readonly hooks = new EngineHooks();
  readonly functionBreakpoints = new FunctionBreakpoints();
  readonly dataBreakpoints = new DataBreakpoints();
  /** The exception filters the engine acts on itself; autogradErrors on by default, as the filter is (EXCEPTION_FILTERS). */
  private readonly filters: Record<EngineFilter, boolean> = { nanInf: false, autogradErrors: true };
  /** The filter values the attached engine has (none before attach). */
  private configuredFilters: Partial<Record<EngineFilter, boolean>> = {};
  private steppingArmed = false;
  private engineDir: string | undefined;
  /** The user could look at a node now or later (see recordForwardLocations). */
  private forwardLocationsWanted = false;
  /** What the attached engine was told about forward locations. */
  private forwardLocationsOn = false;
  private readonly history = new PassHistory();
  /** Paused in the engine's hook at a node (live, or replaying an earlier stop of its pass). */
  private atLiveNode = false;
  private liveUserFrame: CallFrame | undefined;
  private presented: Presented | null = null;

  constructor(private readonly host: BackwardHost) {}

  /** Called once the debuggee is attached and still paused before its first line. */
  async attach(runtime: DebuggeeRuntime, engineDir: string): Promise<void> {
    const cdp = runtime.cdp;
    if (!cdp) return;
    this.configuredFilters = {};
    this.leaveNode();
    this.steppingArmed = false;
    this.history.clear();
    runtime.interceptPause = (event) => this.onPaused(runtime, event);
    runtime.onDebuggerEnabled = () => this.onDebuggerEnabled();
    cdp.on("Runtime.consoleAPICalled", (event) => {
      if (event.args[0]?.value === DEBUGGER_REQUEST_CONSOLE_TAG) return void this.answerDebuggerRequest(runtime);
      const warning = warningFromConsole(event);
      if (warning) this.host.sendEvent(warningOutputEvent(warning));
    });
    this.engineDir = engineDir;
    // The engine hooks' breakpoints wait for the Debugger domain (onDebuggerEnabled): until then
    // the engine asks for it before it calls a hook (a node, gradient-write or error stop).
    await this.configure({
      recording: true,
      forwardLocations: (this.forwardLocationsOn = this.wantsForwardLocations()),
      stepping: false,
      nanInf: this.filters.nanInf,
      functionBreakpoints: this.functionBreakpoints.names,
      gradWatches: this.dataBreakpoints.tensorIds,
      autogradErrors: this.filters.autogradErrors,
      debuggerOn: runtime.debuggerEnabled,
    });
    this.configuredFilters = { ...this.filters };
  }

  /** With the runtime's Debugger.enable: the hooks' breakpoints, and the engine told it may call them. */
  private async onDebuggerEnabled(): Promise<void> {
    const cdp = this.runtime()?.cdp;
    if (!cdp || this.engineDir === undefined) return;
    await Promise.all([this.hooks.install(cdp, this.engineDir), this.configure({ debuggerOn: true })]);
  }

  /** The engine is about to stop in one of its hooks and waits for the Debugger domain: turn it on, let it go on. */
  private async answerDebuggerRequest(runtime: DebuggeeRuntime): Promise<void> {
    await runtime.ensureDebugger().catch(() => undefined);
    await runtime.releaseWhile(ENGINE_AWAITS_DEBUGGER).catch(() => undefined);
  }

  // ---- breakpoints and filters ----

  /**
   * Forward lines cost each op a stack capture (a few µs), and are only seen at a stop: the
   * engine records them from the moment the user could stop and look: a source, function or
   * data breakpoint, the nanInf filter, stopOnEntry, or any stop at all (a pause, an
   * exception). A program run with none of these runs at full speed; nodes made before the
   * first of them show without a forward line. Never turned off again in a session.
   */
  async recordForwardLocations(): Promise<void> {
    this.forwardLocationsWanted = true;
    await this.configure(this.forwardLocationsUpdate());
  }

  private wantsForwardLocations(): boolean {
    return this.forwardLocationsWanted || this.filters.nanInf || this.functionBreakpoints.names.length > 0 || this.dataBreakpoints.tensorIds.length > 0;
  }

  /** `forwardLocations: true` when now wanted and not yet on, to go with a configure call. */
  private forwardLocationsUpdate(): DebuggerConfig {
    if (this.forwardLocationsOn || !this.wantsForwardLocations() || !this.runtime()?.cdp) return {};
    this.forwardLocationsOn = true;
    return { forwardLocations: true };
  }

  /** The `autogradErrors` filter: the engine stops where it raises its errors (see onAutogradError). */
  async setAutogradErrors(on: boolean): Promise<void> {
    await this.setFilter("autogradErrors", on);
  }

  async setNanInf(on: boolean): Promise<void> {
    await this.setFilter("nanInf", on);
  }

  private async setFilter(name: EngineFilter, on: boolean): Promise<void> {
    this.filters[name] = on;
    // setExceptionBreakpoints comes with every launch, mostly unchanged: no round trip then.
    if (this.configuredFilters[name] === on) return;
    await this.configure({ [name]: on, ...this.forwardLocationsUpdate() });
    this.configuredFilters[name] = on;
  }

  async setFunctionBreakpoints(requested: DebugProtocol.FunctionBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    const reports = this.functionBreakpoints.set(requested);
    await this.configure({ functionBreakpoints: this.functionBreakpoints.names, ...this.forwardLocationsUpdate() });
    return reports;
  }

  async setDataBreakpoints(requested: DebugProtocol.DataBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    const reports = this.dataBreakpoints.set(requested);
    await this.configure({ gradWatches: this.dataBreakpoints.tensorIds, ...this.forwardLocationsUpdate() });
    return reports;
  }

  // ---- what the session shows ----

  /** The synthetic frame to put on top of the stack, while paused at a node. */
  syntheticFrame(): SyntheticFrameSource | undefined {
    const p = this.presented;
    return p ? syntheticNodeFrame(p.details, p.frameObjectId, p.userFrame, p.replayed) : undefined;
  }

  /** exceptionInfo for a NaN/Inf stop; undefined for every other pause. */
  exceptionInfo(): DebugProtocol.ExceptionInfoResponse["body"] | undefined {
    const details = this.presented?.details;
    if (!details || details.event.reason !== "nanInf" || !details.event.nonFinite) return undefined;
    const text = nonFiniteText(details);
    const location = details.event.forwardLocation;
    return {
      exceptionId: "nanInf",
      description: text,
      breakMode: "always",
      details: {
        message: text,
        typeName: details.event.nonFinite.value,
        stackTrace: location ? `    at ${details.event.name} (${location.file}:${location.line}:${location.column})` : undefined,
      },
    };
  }

  /** True while paused at a node of a pass, live or replayed: Step Back has somewhere to go. */
  get canStepBack(): boolean {
    return this.atLiveNode && !this.history.isEmpty;
  }

  // ---- execution requests (the session calls these instead of the runtime) ----

  async stepIn(fallback: () => Promise<void>): Promise<void> {
    if (await this.replayForward()) return;
    if (this.atLiveNode) return this.runToNextNode();
    // Entering backward() (or autograd.grad) from the user's line: its first node will stop.
    await this.setStepping(true);
    await fallback();
  }

  async next(fallback: () => Promise<void>): Promise<void> {
    if (await this.replayForward()) return;
    if (this.atLiveNode) return this.runToNextNode();
    await this.setStepping(false);
    await fallback();
  }

  async stepOut(fallback: () => Promise<void>): Promise<void> {
    const inPass = this.atLiveNode;
    this.leaveNode();
    await this.setStepping(false);
    // In a pass: V8 steps out through the (blackboxed) engine to the user's frame after backward().
    if (inPass) await this.runtime()?.step("out");
    else await fallback();
  }

  async continue(fallback: () => Promise<void>): Promise<void> {
    this.leaveNode();
    await this.setStepping(false);
    await fallback();
  }

  async stepBack(): Promise<void> {
    await this.showRecorded(this.history.position - 1, "Step back");
  }

  /** Back to the previous breakpoint-like stop of the pass (not a plain step), else its first. */
  async reverseContinue(): Promise<void> {
    await this.showRecorded(this.history.previousBreak(), "Reverse continue");
  }

  // ---- pauses ----

  private async onPaused(runtime: DebuggeeRuntime, event: Protocol.Debugger.PausedEvent): Promise<PauseDecision> {
    const hook = this.hooks.hookOf(event.hitBreakpoints);
    if (hook === null) {
      // An ordinary pause (a user breakpoint, a step, an exception): no node frame.
      this.leaveNode();
      this.history.clear();
      return undefined;
    }
    if (hook === "autogradError") return this.onAutogradError(runtime);
    if (hook === "gradWritten") return this.onGradWrite(runtime);

    const userFrame = firstUserFrame(runtime, event.callFrames);
    const stop = callByValue<NodeStopDetails | null>(runtime, CURRENT_STOP, scopeArguments(userFrame)).catch(() => null);
    // Sent right behind it, not after its answer: the live node's frame needs nothing from it.
    const frameObjectId = this.nodeFrameObject(runtime, null, userFrame);
    const details = await stop;
    if (!details) return "resume";
    if (details.event.reason === "passEnded") {
      // The pass being stepped is over: take the user back to their line after backward().
      this.leaveNode();
      this.history.clear();
      await this.setStepping(false);
      await runtime.step("out");
      return "handled";
    }
    this.history.pushLive(details);
    this.atLiveNode = true;
    this.liveUserFrame = userFrame;
    this.presented = { details, frameObjectId: await frameObjectId, userFrame, replayed: false };
    return nodeStopEvent(details, this.hitIds(details), this.watchedName(details.event.watchedTensorId));
  }

  /**
   * The engine is raising a RuntimeError, ValueError or IndexError (autogradErrors): an
   * exception stop, at the user's line that caused it (engine frames are hidden).
   */
  private async onAutogradError(runtime: DebuggeeRuntime): Promise<PauseDecision> {
    this.leaveNode();
    this.history.clear();
    const error = await callInGroup(runtime, CURRENT_ERROR, ERROR_GROUP);
    return error?.subtype === "error" ? exceptionStopEvent(error, false) : "resume";
  }

  /** User code assigned a watched `.grad`: the stop is at the assignment (engine frames are hidden). */
  private async onGradWrite(runtime: DebuggeeRuntime): Promise<PauseDecision> {
    this.leaveNode();
    const write = await callByValue<GradWriteEvent | null>(runtime, CURRENT_GRAD_WRITE).catch(() => null);
    if (!write) return "resume";
    const watch = this.dataBreakpoints.find(write.tensorId);
    return gradWriteStopEvent(write, watch?.description, watch ? [watch.id] : undefined);
  }

  private hitIds(details: NodeStopDetails): number[] | undefined {
    const { event } = details;
    if (event.reason === "functionBreakpoint") {
      const id = this.functionBreakpoints.idOf(event.name);
      return id !== undefined ? [id] : undefined;
    }
    if (event.reason === "gradWritten") {
      const watch = this.dataBreakpoints.find(event.watchedTensorId);
      return watch ? [watch.id] : undefined;
    }
    return undefined;
  }

  private watchedName(tensorId: number | undefined): string | undefined {
    return this.dataBreakpoints.find(tensorId)?.description;
  }

  // ---- moving between nodes ----

  private async runToNextNode(): Promise<void> {
    this.leaveNode();
    await this.setStepping(true);
    // Blackboxing off: the next stop is the hook's breakpoint (or passEnded, which steps out).
    await this.runtime()?.continue();
  }

  /** While stepped back: one stop forward through the recording, true when it handled the request. */
  private async replayForward(): Promise<boolean> {
    if (!this.atLiveNode || !this.history.replaying) return false;
    await this.showRecorded(this.history.position + 1, "Replay");
    return true;
  }

  private async showRecorded(index: number, action: string): Promise<void> {
    const runtime = this.runtime();
    const shown = runtime && this.atLiveNode ? this.history.moveTo(index) : null;
    if (!runtime || !shown) return;
    const { details, live } = shown;
    const userFrame = this.liveUserFrame;
    this.presented = { details, frameObjectId: await this.nodeFrameObject(runtime, live ? null : details.event.step, userFrame), userFrame, replayed: !live };
    const where = details.event.forwardLocation ? ` at line ${details.event.forwardLocation.line}` : "";
    this.host.presentStop({
      reason: "step",
      description: live ? `Backward: ${details.event.name}` : `${action}: ${details.event.name}${where} as it was at step ${details.event.step + 1} (recorded)`,
    });
  }

  /** The engine's frame object for the live node (step null) or a recorded step, by reference in OBJECT_GROUP. */
  private async nodeFrameObject(runtime: DebuggeeRuntime, step: number | null, userFrame: CallFrame | undefined): Promise<string | undefined> {
    const frame = await callInGroup(runtime, NODE_FRAME, OBJECT_GROUP, [{ value: step }, ...scopeArguments(userFrame)]);
    return frame?.objectId;
  }

  private leaveNode(): void {
    this.atLiveNode = false;
    this.presented = null;
    this.liveUserFrame = undefined;
  }

  // ---- the engine's configuration ----

  private async setStepping(on: boolean): Promise<void> {
    if (this.steppingArmed === on) return;
    this.steppingArmed = on;
    await this.configure({ stepping: on });
  }

  private async configure(config: DebuggerConfig): Promise<void> {
    const cdp = this.runtime()?.cdp;
    if (!cdp || cdp.isClosed || Object.keys(config).length === 0) return;
    await cdp.send("Runtime.evaluate", { expression: configureExpression(config), silent: true }).catch(() => undefined);
  }

  private runtime(): DebuggeeRuntime | undefined {
    return this.host.runtime();
  }
}

/** The frame of the user's code nearest the top (the one that called backward()). */
function firstUserFrame(runtime: DebuggeeRuntime, frames: CallFrame[]): CallFrame | undefined {
  return frames.find((f) => runtime.script(f.location.scriptId)?.kind === "user") ?? frames.find((f) => {
    const kind = runtime.script(f.location.scriptId)?.kind;
    return kind !== "engine" && kind !== "internal";
  });
}
