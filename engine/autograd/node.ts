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
let nextGraphWalk = 0;

/** A number for a new walk of the graph that marks the nodes it reaches (Node.firstReachedIn). */
export function newGraphWalk(): number {
  return ++nextGraphWalk;
}

/** What few nodes have, kept out of line so that the common node stays small (GC cost per op). */
interface NodeExtras {
  /** Tensor hooks of the tensor whose gradient arrives here; run before this node. */
  preHooks: GradHook[] | null;
  /** Non-leaf tensor that asked retainGrad() and whose gradient arrives here. */
  retainer: Tensor | null;
  /** Set while recording: the stack at creation, resolved lazily to the user's line. */
  creationStack: Error | null;
  modulePath: string | null;
  /** A stable id for debuggers, given on first request. */
  id: number;
  /** The last graph walk that reached this node (see firstReachedIn). */
  walk: number;
}

/**
 * Where each input's gradient goes (null for inputs that do not require grad). Most ops have
 * one input, and their edge is stored bare: an array costs 28 bytes per node, and on long
 * chains of small ops garbage collection of what the graph keeps alive is most of the time.
 */
export type Edges = Node | null | ReadonlyArray<Node | null>;

export abstract class Node {
  /** Order of creation; the backward engine runs ready nodes with the highest first, as PyTorch does. */
  sequenceNr: number;
  private readonly edges: Edges;
  private extras: NodeExtras | null = null;

  // Per-backward-pass scratch space, owned by the backward engine (autograd/engine.ts).
  pendingGrad: Tensor | null = null;
  /** True when `pendingGrad` was made during this pass and handed to this node alone. */
  pendingGradExclusive = false;
  dependencies = 0;
  visitedInPass = 0;

  constructor(edges: Edges) {
    this.sequenceNr = nextSequenceNr++;
    this.edges = edges;
    if (isRecordingForwardLocations()) {
      this.extras = { preHooks: null, retainer: null, creationStack: captureStack(), modulePath: currentModulePath(), id: 0, walk: 0 };
    }
  }

  /** A stable id for debuggers, given on first request. */
  get nodeId(): number {
    const extras = this.extrasForWrite;
    return (extras.id ||= ++nextNodeId);
  }

  /**
   * True the first time walk `walk` (from newGraphWalk) reaches this node: a mark on the node
   * instead of a set the size of the graph, whose adds were a quarter of a 20,000-node graph
   * dump's own time. The walk reads every node's `nodeId` anyway, which makes the extras.
   */
  firstReachedIn(walk: number): boolean {
    const extras = this.extrasForWrite;
    if (extras.walk === walk) return false;
    extras.walk = walk;
    return true;
  }

  private get extrasForWrite(): NodeExtras {
    return (this.extras ??= { preHooks: null, retainer: null, creationStack: null, modulePath: null, id: 0, walk: 0 });
  }

  /** How many inputs this node sends gradients to (the length of `next`). */
  get edgeCount(): number {
    const edges = this.edges;
    return Array.isArray(edges) ? edges.length : 1;
  }

  /** The node input `index`'s gradient goes to, or null. */
  edge(index: number): Node | null {
    const edges = this.edges;
    if (Array.isArray(edges)) return (edges as ReadonlyArray<Node | null>)[index] ?? null;
    return index === 0 ? (edges as Node | null) : null;
  }

  /** The node each input's gradient goes to (null for inputs that do not require grad). */
  get next(): ReadonlyArray<Node | null> {
    const edges = this.edges;
    return Array.isArray(edges) ? (edges as ReadonlyArray<Node | null>) : [edges as Node | null];
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
    return this.edge(index) !== null;
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

/** The tensors an op saved, with their versions and gradFns when saved (for the in-place check). */
interface SavedTensors {
  readonly tensors: Tensor[];
  readonly versions: number[];
  readonly gradFns: Array<Node | null>;
}

/**
 * Shared by every node that saved nothing (most of a scalar chain), before and after backward
 * frees the graph: such nodes can run again, though their (empty) saved tensors read as freed.
 */
const NOTHING_SAVED: SavedTensors = { tensors: [], versions: [], gradFns: [] };
const NOTHING_SAVED_RELEASED: SavedTensors = { tensors: [], versions: [], gradFns: [] };

/** A node for one op: a name, its saved tensors (checked against in-place changes) and its rule. */
export class OpNode extends Node {
  /** null once backward has freed them. */
  private saved: SavedTensors | null;

  constructor(
    private readonly opName: string,
    edges: Edges,
    saved: Tensor[],
    private readonly rule: BackwardRule,
    /**
     * A number the rule needs (the scalar in x·2, x^3): kept here so that rules for scalar ops
     * can be shared functions instead of one closure per op — long chains of scalar ops are
     * mostly allocation and garbage collection.
     */
    readonly constant = 0,
  ) {
    super(edges);
    this.saved =
      saved.length === 0 ? NOTHING_SAVED : { tensors: saved, versions: saved.map((t) => t.version), gradFns: saved.map((t) => t._gradFn) };
  }

  name(): string {
    return this.opName;
  }

  /** Saved tensors whose grad_fn is this node itself (saved outputs) are fixed up by the recorder. */
  markSavedOutput(output: Tensor): void {
    const saved = this.saved!;
    for (let i = 0; i < saved.tensors.length; i++) if (saved.tensors[i] === output) saved.gradFns[i] = this;
  }

  get savedTensors(): readonly Tensor[] {
    const tensors = this.keptSavedTensors;
    if (tensors === null) throw new RuntimeError(FREED_MESSAGE);
    return tensors;
  }

  /**
   * The saved tensors, or null once backward has freed them: for the debugger, which reads
   * every node of a graph on each stop and must not raise (and capture a stack for) an error per
   * freed node.
   */
  get keptSavedTensors(): readonly Tensor[] | null {
    const saved = this.saved;
    return saved === null || saved === NOTHING_SAVED_RELEASED ? null : saved.tensors;
  }

  apply(gradOutput: Tensor): ReadonlyArray<Tensor | null> {
    const saved = this.saved;
    if (saved === null) throw new RuntimeError(FREED_MESSAGE);
    const tensors = saved.tensors;
    for (let i = 0; i < tensors.length; i++) {
      if (tensors[i]!.version !== saved.versions[i]) throw this.modifiedInPlaceError(saved, i);
    }
    return this.rule(gradOutput, tensors, this);
  }

  override release(): void {
    this.saved = this.saved === NOTHING_SAVED || this.saved === NOTHING_SAVED_RELEASED ? NOTHING_SAVED_RELEASED : null;
  }

  private modifiedInPlaceError(saved: SavedTensors, index: number): RuntimeError {
    const tensor = saved.tensors[index]!;
    // PyTorch names the node for saved outputs, and the input's current gradFn otherwise
    // (an in-place op since then has rebased it: "output 0 of AddBackward0").
    const gradFn = saved.gradFns[index] === this ? this : tensor._gradFn;
    const which = gradFn ? `, which is output 0 of ${gradFn.name()},` : "";
    return new RuntimeError(
      "one of the variables needed for gradient computation has been modified by an inplace operation: " +
        `[${legacyTypeName(tensor.dtype)} ${formatShape(tensor.shape)}]${which} is at version ${tensor.version}; ` +
        `expected version ${saved.versions[index]} instead. Hint: enable anomaly detection to find the operation ` +
        "that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).",
    );
  }
}

export function resetSequenceForTests(): void {
  nextSequenceNr = 0;
}
