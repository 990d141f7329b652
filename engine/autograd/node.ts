/**
 * A backward function: one node of the graph `backward()` walks (PyTorch's torch.autograd.graph.Node).
 * Every op creates one node per output with the rule that maps the gradient of its output
 * to the gradients of its inputs. Nodes have exactly one output in this engine.
 */
import { RuntimeError } from "../errors";
import { legacyTypeName } from "../dtype";
import { formatShape } from "../shape";
import type { Tensor } from "../tensor";
import { captureStack, resolveLocation, type SourceLocation } from "../debug/location";
import { currentModulePath, isRecordingForwardLocations } from "./tracking";

/** Maps the gradient of the output to one gradient per input (null where none is needed). */
export type BackwardRule = (gradOutput: Tensor, saved: readonly Tensor[], node: OpNode) => ReadonlyArray<Tensor | null>;

export type GradHook = (grad: Tensor) => Tensor | void | undefined;

export interface RemovableHandle {
  remove(): void;
}

let nextSequenceNr = 0;
let nextNodeId = 0;

/** What few nodes have, kept out of line so that the common node stays small (GC cost per op). */
interface NodeExtras {
  /** Tensor hooks of the tensor whose gradient arrives here; run before this node. */
  preHooks: GradHook[] | null;
  /** Non-leaf tensor that asked retainGrad() and whose gradient arrives here. */
  retainer: Tensor | null;
  /** Set while recording: the stack at creation, resolved lazily to the user's line. */
  creationStack: Error | null;
  modulePath: string | null;
}

export abstract class Node {
  /** Order of creation; the backward engine runs ready nodes with the highest first, as PyTorch does. */
  sequenceNr: number;
  /** The node each input's gradient goes to (null for inputs that do not require grad). */
  readonly next: ReadonlyArray<Node | null>;
  private extras: NodeExtras | null = null;
  private id = 0;

  // Per-backward-pass scratch space, owned by the backward engine (autograd/engine.ts).
  pendingGrad: Tensor | null = null;
  /** True when `pendingGrad` was made during this pass and handed to this node alone. */
  pendingGradExclusive = false;
  dependencies = 0;
  visitedInPass = 0;

  constructor(next: ReadonlyArray<Node | null>) {
    this.sequenceNr = nextSequenceNr++;
    this.next = next;
    if (isRecordingForwardLocations()) {
      this.extras = { preHooks: null, retainer: null, creationStack: captureStack(), modulePath: currentModulePath() };
    }
  }

  /** A stable id for debuggers, given on first request. */
  get nodeId(): number {
    return (this.id ||= ++nextNodeId);
  }

  private get extrasForWrite(): NodeExtras {
    return (this.extras ??= { preHooks: null, retainer: null, creationStack: null, modulePath: null });
  }

  get preHooks(): GradHook[] | null {
    return this.extras === null ? null : this.extras.preHooks;
  }

  get retainer(): Tensor | null {
    return this.extras === null ? null : this.extras.retainer;
  }

  set retainer(tensor: Tensor | null) {
    this.extrasForWrite.retainer = tensor;
  }

  get modulePath(): string | null {
    return this.extras === null ? null : this.extras.modulePath;
  }

  abstract name(): string;
  abstract apply(gradOutput: Tensor): ReadonlyArray<Tensor | null>;
  /** Drop saved tensors after backward (unless retainGraph). */
  release(): void {}

  /** PyTorch's `next_functions`: one (node, inputNr) pair per input. */
  get nextFunctions(): Array<[Node | null, number]> {
    return this.next.map((node) => [node, 0]);
  }

  /** Where the user's forward code created this node, when recording was on. */
  get forwardLocation(): SourceLocation | null {
    const stack = this.extras?.creationStack;
    return stack ? resolveLocation(stack) : null;
  }

  /** Whether input `index` needs a gradient, so rules can skip work nobody will use. */
  needsInputGrad(index: number): boolean {
    return this.next[index] != null;
  }

  registerPrehook(hook: GradHook): RemovableHandle {
    (this.extrasForWrite.preHooks ??= []).push(hook);
    return {
      remove: () => {
        const hooks = this.preHooks;
        if (!hooks) return;
        const at = hooks.indexOf(hook);
        if (at >= 0) hooks.splice(at, 1);
      },
    };
  }

  toString(): string {
    return `<${this.name()}>`;
  }
}

const FREED_MESSAGE =
  "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
  "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
  "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

/** A node for one op: a name, its saved tensors (checked against in-place changes) and its rule. */
/** The versions and gradFns of saved tensors when they were saved (for the in-place check). */
interface SavedState {
  versions: number[];
  gradFns: Array<Node | null>;
}

export class OpNode extends Node {
  private saved: Tensor[] | null;
  /** null when the op saved nothing (most of a scalar chain): one object fewer per node. */
  private readonly savedState: SavedState | null;

  constructor(
    private readonly opName: string,
    next: ReadonlyArray<Node | null>,
    saved: Tensor[],
    private readonly rule: BackwardRule,
    /**
     * A number the rule needs (the scalar in x·2, x^3): kept here so that rules for scalar ops
     * can be shared functions instead of one closure per op — long chains of scalar ops are
     * mostly allocation and garbage collection.
     */
    readonly constant = 0,
  ) {
    super(next);
    this.saved = saved;
    this.savedState = saved.length === 0 ? null : { versions: saved.map((t) => t._version.value), gradFns: saved.map((t) => t._gradFn) };
  }

  name(): string {
    return this.opName;
  }

  /** Saved tensors whose grad_fn is this node itself (saved outputs) are fixed up by the recorder. */
  markSavedOutput(output: Tensor): void {
    const saved = this.saved!;
    for (let i = 0; i < saved.length; i++) if (saved[i] === output) this.savedState!.gradFns[i] = this;
  }

  get savedTensors(): readonly Tensor[] {
    if (this.saved === null) throw new RuntimeError(FREED_MESSAGE);
    return this.saved;
  }

  apply(gradOutput: Tensor): ReadonlyArray<Tensor | null> {
    const saved = this.saved;
    if (saved === null) {
      if (this.savedState !== null) throw new RuntimeError(FREED_MESSAGE);
      return this.rule(gradOutput, [], this);
    }
    for (let i = 0; i < saved.length; i++) {
      const tensor = saved[i]!;
      if (tensor._version.value !== this.savedState!.versions[i]) throw this.modifiedInPlaceError(i);
    }
    return this.rule(gradOutput, saved, this);
  }

  override release(): void {
    this.saved = null;
  }

  private modifiedInPlaceError(index: number): RuntimeError {
    const tensor = this.saved![index]!;
    // PyTorch names the node for saved outputs, and the input's current gradFn otherwise
    // (an in-place op since then has rebased it: "output 0 of AddBackward0").
    const gradFn = this.savedState!.gradFns[index] === this ? this : tensor._gradFn;
    const which = gradFn ? `, which is output 0 of ${gradFn.name()},` : "";
    return new RuntimeError(
      "one of the variables needed for gradient computation has been modified by an inplace operation: " +
        `[${legacyTypeName(tensor.dtype)} ${formatShape(tensor.shape)}]${which} is at version ${tensor._version.value}; ` +
        `expected version ${this.savedState!.versions[index]} instead. Hint: enable anomaly detection to find the operation ` +
        "that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).",
    );
  }
}

export function resetSequenceForTests(): void {
  nextSequenceNr = 0;
}
