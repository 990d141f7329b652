/**
 * Follows backward passes for the debugger: which node runs now, which are done and pending,
 * and decides after each node whether the debugger wants to stop there (stepping, a function
 * breakpoint on its type, the first NaN/Inf, a watched gradient written). A stop calls the
 * inspector's no-op hook, where the adapter has a breakpoint; each stop is recorded so the
 * adapter can step back through the pass. Installed only while the debugger records.
 */
import type { BackwardObserver } from "../autograd/engine";
import { AccumulateGrad } from "../autograd/accumulateGrad";
import type { Node } from "../autograd/node";
import type { Tensor } from "../tensor";
import type { BackwardHistoryEntry, BackwardNodeEvent, BackwardStopReason, NonFiniteFinding, RawBackwardState } from "./inspectTypes";
import { functionId } from "./graphDump";
import { firstNonFinite } from "./nonFinite";
import { recordNode, type RecordedNode } from "./nodeFrame";

/** The stop the engine is paused in (inside the hook), with what the node computed. */
export interface LiveStop {
  event: BackwardNodeEvent;
  /** Null for the passEnded stop. */
  node: Node | null;
  gradOutput: Tensor | null;
  gradInputs: ReadonlyArray<Tensor | null>;
}

interface HistoryRecord {
  entry: BackwardHistoryEntry;
  recorded: RecordedNode;
}

let passCounter = 0;

type StopReason = { reason: BackwardStopReason; nonFinite?: NonFiniteFinding; watched?: number };
const FUNCTION_BREAKPOINT: StopReason = { reason: "functionBreakpoint" };
const STEP: StopReason = { reason: "step" };

export class BackwardTracker implements BackwardObserver {
  private active = false;
  private current: Node | null = null;
  private currentGrad: Tensor | null = null;
  /**
   * The pass's nodes (the engine's own list), those done in order and the gradient each
   * received: two array pushes per node, since this runs for every pass while debugged;
   * pending nodes and the gradient map are worked out only when the debugger asks.
   */
  private order: readonly Node[] = [];
  private done: Node[] = [];
  private doneGrads: Tensor[] = [];
  private step = 0;
  private pass = 0;
  private nonFiniteReported = false;
  private records: HistoryRecord[] = [];
  /** Set while the hook runs (the debuggee is paused there). */
  live: LiveStop | null = null;

  private steppingOn = false;
  private nanInfOn = false;
  private readonly breakAt = new Set<string>();
  private readonly watched = new Set<number>();
  /**
   * Whether anything asks to stop: kept up to date as the debugger configures, so a node of a
   * pass nobody stops in (a function breakpoint on a node type the pass never runs) costs one
   * field read, not four checks.
   */
  private watching = false;

  constructor(private readonly hook: (event: BackwardNodeEvent) => void) {}

  passStarted(order: readonly Node[]): void {
    this.active = true;
    this.current = null;
    this.currentGrad = null;
    this.order = order;
    this.done = [];
    this.doneGrads = [];
    this.step = 0;
    this.pass = ++passCounter;
    this.nonFiniteReported = false;
    this.records = [];
  }

  beforeNode(node: Node, gradOutput: Tensor): void {
    this.current = node;
    this.currentGrad = gradOutput;
  }

  afterNode(node: Node, gradInputs: ReadonlyArray<Tensor | null>): void {
    const gradOutput = this.currentGrad!;
    this.done.push(node);
    this.doneGrads.push(gradOutput);
    const step = this.step++;
    if (this.watching) {
      const stop = this.stopReason(node, gradInputs);
      if (stop !== null) this.stopAt(node, gradOutput, gradInputs, step, stop);
    }
    this.current = null;
    this.currentGrad = null;
  }

  passEnded(): void {
    const wasStepping = this.stepping && this.active;
    this.active = false;
    this.current = null;
    this.currentGrad = null;
    this.order = [];
    // Lets the adapter take a stepping user back to their line after backward().
    if (wasStepping) this.callHook({ nodeId: "", name: "", forwardLocation: null, step: this.step, reason: "passEnded", pass: this.pass }, null, null, []);
  }

  state(): RawBackwardState {
    return {
      active: this.active,
      currentNodeId: this.current ? functionId(this.current) : null,
      doneNodeIds: this.done.map(functionId),
      pendingNodeIds: this.pendingNodes().map(functionId),
    };
  }

  /** The pass's nodes that have not run yet, in the engine's order (none outside a pass). */
  private pendingNodes(): Node[] {
    if (!this.active) return [];
    const done = new Set(this.done);
    return this.order.filter((node) => !done.has(node));
  }

  /** During a pass: the gradient that reached each node so far (the graph colours by it). */
  gradOutputs(): Map<Node, Tensor> {
    const grads = new Map<Node, Tensor>();
    if (!this.active) return grads;
    for (let i = 0; i < this.done.length; i++) grads.set(this.done[i]!, this.doneGrads[i]!);
    if (this.current && this.currentGrad) grads.set(this.current, this.currentGrad);
    return grads;
  }

  /** True when nothing asks the tracker to stop (it then only keeps the pass state). */
  get idle(): boolean {
    return !this.watching;
  }

  get stepping(): boolean {
    return this.steppingOn;
  }

  set stepping(on: boolean) {
    this.steppingOn = on;
    this.updateWatching();
  }

  get nanInf(): boolean {
    return this.nanInfOn;
  }

  set nanInf(on: boolean) {
    this.nanInfOn = on;
    this.updateWatching();
  }

  /** Node types (`MulBackward0`) a function breakpoint stops after. */
  get functionBreakpoints(): ReadonlySet<string> {
    return this.breakAt;
  }

  setFunctionBreakpoints(names: Iterable<string>): void {
    this.replace(this.breakAt, names);
  }

  /** Tensor ids whose `.grad` a data breakpoint watches. */
  get gradWatches(): ReadonlySet<number> {
    return this.watched;
  }

  setGradWatches(ids: Iterable<number>): void {
    this.replace(this.watched, ids);
  }

  private replace<T>(set: Set<T>, items: Iterable<T>): void {
    set.clear();
    for (const item of items) set.add(item);
    this.updateWatching();
  }

  private updateWatching(): void {
    this.watching = this.steppingOn || this.nanInfOn || this.breakAt.size > 0 || this.watched.size > 0;
  }

  history(): BackwardHistoryEntry[] {
    return this.records.map((r) => ({ ...r.entry, forwardLocation: r.recorded.node.forwardLocation }));
  }

  recordedAt(step: number): RecordedNode | null {
    return this.records.find((r) => r.entry.step === step)?.recorded ?? null;
  }

  private stopReason(node: Node, gradInputs: ReadonlyArray<Tensor | null>): StopReason | null {
    if (this.nanInfOn && !this.nonFiniteReported) {
      const nonFinite = firstNonFinite(gradInputs);
      if (nonFinite) {
        this.nonFiniteReported = true;
        return { reason: "nanInf", nonFinite };
      }
    }
    if (this.watched.size > 0) {
      const written = writtenGradient(node);
      if (written && this.watched.has(written.id)) return { reason: "gradWritten", watched: written.id };
    }
    if (this.breakAt.size > 0 && this.breakAt.has(node.name())) return FUNCTION_BREAKPOINT;
    if (this.steppingOn) return STEP;
    return null;
  }

  private stopAt(
    node: Node,
    gradOutput: Tensor,
    gradInputs: ReadonlyArray<Tensor | null>,
    step: number,
    { reason, nonFinite, watched }: StopReason,
  ): void {
    // The location is resolved when the debugger asks (currentStop, history): resolving it here
    // would cost every node of a stepped pass even when nothing breaks in the hook.
    const event: BackwardNodeEvent = { nodeId: functionId(node), name: node.name(), forwardLocation: null, step, reason, pass: this.pass };
    if (nonFinite) event.nonFinite = nonFinite;
    if (watched !== undefined) event.watchedTensorId = watched;
    this.records.push({
      entry: { step, nodeId: event.nodeId, name: event.name, reason, forwardLocation: null },
      recorded: recordNode(node, gradOutput, gradInputs),
    });
    this.callHook(event, node, gradOutput, gradInputs);
  }

  private callHook(event: BackwardNodeEvent, node: Node | null, gradOutput: Tensor | null, gradInputs: ReadonlyArray<Tensor | null>): void {
    this.live = { event, node, gradOutput, gradInputs };
    try {
      this.hook(event);
    } finally {
      this.live = null;
    }
  }
}

/** The tensor whose `.grad` a node writes: a leaf's (AccumulateGrad) or a retaining non-leaf's. */
function writtenGradient(node: Node): Tensor | null {
  if (node instanceof AccumulateGrad) return node.variable;
  return node.retainer;
}
