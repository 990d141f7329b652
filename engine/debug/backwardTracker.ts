/**
 * Follows backward passes for the debugger: which node runs now, which are done and pending,
 * and (while stepping) calls the inspector's no-op hook before each node so the adapter can
 * break there. Installed only while the debugger records.
 */
import type { BackwardObserver } from "../autograd/engine";
import type { Node } from "../autograd/node";
import type { Tensor } from "../tensor";
import type { BackwardNodeEvent, RawBackwardState } from "./inspectTypes";
import { functionId } from "./graphDump";

export class BackwardTracker implements BackwardObserver {
  private active = false;
  private current: Node | null = null;
  private done: Node[] = [];
  private pending = new Set<Node>();
  private step = 0;
  stepping = false;
  /** The gradient that arrived at each node in the current pass (for the stepping frame). */
  readonly gradOutputs = new WeakMap<Node, Tensor>();
  readonly gradInputs = new WeakMap<Node, ReadonlyArray<Tensor | null>>();

  constructor(private readonly hook: (event: BackwardNodeEvent) => void) {}

  passStarted(order: readonly Node[]): void {
    this.active = true;
    this.current = null;
    this.done = [];
    this.pending = new Set(order);
    this.step = 0;
  }

  beforeNode(node: Node, gradOutput: Tensor): void {
    this.current = node;
    this.gradOutputs.set(node, gradOutput);
    if (this.stepping) {
      this.hook({ nodeId: functionId(node), name: node.name(), forwardLocation: node.forwardLocation, step: this.step });
    }
    this.step++;
  }

  afterNode(node: Node, gradInputs: ReadonlyArray<Tensor | null>): void {
    this.gradInputs.set(node, gradInputs);
    this.pending.delete(node);
    this.done.push(node);
    this.current = null;
  }

  passEnded(): void {
    this.active = false;
    this.current = null;
    this.pending.clear();
  }

  state(): RawBackwardState {
    return {
      active: this.active,
      currentNodeId: this.current ? functionId(this.current) : null,
      doneNodeIds: this.done.map(functionId),
      pendingNodeIds: [...this.pending].map(functionId),
    };
  }
}
