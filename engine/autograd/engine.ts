/**
 * Runs a backward pass over the graph without recursion (a 1,000,000-node chain is fine):
 * count each node's incoming edges, then run nodes as their last gradient arrives.
 */
import { RuntimeError } from "../errors";
import { nextTensorIdPeek, type Tensor } from "../tensor";
import { isAnomalyEnabled, isGradEnabled, setGradEnabled } from "./gradMode";
import type { Node } from "./node";
import { AccumulateGrad } from "./accumulateGrad";
import { ReadyQueue } from "./readyQueue";
import { warn } from "../warnings";
import { gradStats } from "../debug/describe";

/** What the debugger watches; null (the default) costs one test per node. */
export interface BackwardObserver {
  passStarted(order: readonly Node[]): void;
  beforeNode(node: Node, gradOutput: Tensor): void;
  afterNode(node: Node, gradInputs: ReadonlyArray<Tensor | null>): void;
  passEnded(completed: boolean): void;
}

let observer: BackwardObserver | null = null;

export function setBackwardObserver(next: BackwardObserver | null): void {
  observer = next;
}

export interface ExecuteOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** autograd.grad: record the gradient arriving at these nodes instead of accumulating into leaves. */
  captureAt?: readonly Node[];
}

let passCounter = 0;

/** Every node reachable from `roots`, each with its count of incoming edges set. */
function countDependencies(roots: readonly Node[], pass: number): Node[] {
  const reached: Node[] = [];
  const stack: Node[] = [];
  for (const root of roots) {
    if (root.visitedInPass === pass) continue;
    root.visitedInPass = pass;
    root.dependencies = 0;
    root.pendingGrad = null;
    stack.push(root);
    reached.push(root);
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    const edgeCount = node.edgeCount;
    for (let i = 0; i < edgeCount; i++) {
      const child = node.edge(i);
      if (!child) continue;
      if (child.visitedInPass !== pass) {
        child.visitedInPass = pass;
        child.dependencies = 0;
        child.pendingGrad = null;
        stack.push(child);
        reached.push(child);
      }
      child.dependencies++;
    }
  }
  return reached;
}

function checkForNaN(node: Node, grads: ReadonlyArray<Tensor | null>): void {
  grads.forEach((grad, i) => {
    // gradStats reads only this tensor's elements (a view's storage may hold others).
    if (!grad || !gradStats(grad).hasNaN) return;
    const where = node.forwardLocation;
    const at = where ? ` The forward call that created it was at ${where.file}:${where.line}:${where.column}.` : "";
    warn(`Error detected in ${node.name()}.${at}`);
    throw new RuntimeError(`Function '${node.name()}' returned nan values in its ${i}th output.${at}`);
  });
}

/** Runs the pass; returns the captured gradients when `captureAt` is given. */
export function execute(roots: readonly Node[], rootGrads: readonly Tensor[], options: ExecuteOptions): Array<Tensor | null> {
  const pass = ++passCounter;
  const reached = countDependencies(roots, pass);
  const captureAt = options.captureAt ?? null;
  const captured: Array<Tensor | null> = captureAt ? captureAt.map(() => null) : [];
  // Tensors with a larger id were created during this pass (ids only grow).
  const firstTensorOfPass = nextTensorIdPeek();
  const previousGradMode = isGradEnabled();
  setGradEnabled(options.createGraph);
  const watcher = observer;
  watcher?.passStarted(reached);
  let completed = false;
  try {
    const ready = new ReadyQueue();
    roots.forEach((root, i) => {
      root.pendingGrad = root.pendingGrad ? root.pendingGrad.add(rootGrads[i]!) : rootGrads[i]!;
    });
    for (const root of new Set(roots)) if (root.dependencies === 0) ready.push(root);
    const anomaly = isAnomalyEnabled();

    while (ready.size > 0) {
      const node = ready.pop();
      let grad = node.pendingGrad;
      node.pendingGrad = null;
      let gradInputs: ReadonlyArray<Tensor | null> | null = null;
      if (grad !== null) {
        if (node.preHooks) {
          // A hook may keep the tensor it was given: never hand that one to .grad.
          node.pendingGradExclusive = false;
          for (const hook of node.preHooks) grad = hook(grad) ?? grad;
        }
        if (node.retainer) retainGrad(node.retainer, grad, options.createGraph);
        if (captureAt) {
          const at = captureAt.indexOf(node);
          if (at >= 0) captured[at] = grad;
        }
        // autograd.grad never accumulates into leaves' .grad.
        if (!(captureAt && node instanceof AccumulateGrad)) {
          watcher?.beforeNode(node, grad);
          gradInputs = node.apply(grad);
          if (anomaly) checkForNaN(node, gradInputs);
          watcher?.afterNode(node, gradInputs);
        }
      }
      if (!options.retainGraph) node.release();
      const edgeCount = node.edgeCount;
      for (let i = 0; i < edgeCount; i++) {
        const child = node.edge(i);
        if (!child) continue;
        const childGrad = gradInputs ? gradInputs[i] : null;
        if (childGrad) {
          if (child.pendingGrad) {
            child.pendingGrad = child.pendingGrad.add(childGrad);
            child.pendingGradExclusive = true;
          } else {
            child.pendingGrad = childGrad;
            child.pendingGradExclusive = childGrad.id > firstTensorOfPass && !deliveredTwice(gradInputs!, i);
          }
        }
        if (--child.dependencies === 0) ready.push(child);
      }
    }
    completed = true;
  } finally {
    setGradEnabled(previousGradMode);
    // Leave no gradient buffers behind if a hook or rule threw halfway.
    if (!completed) for (const node of reached) node.pendingGrad = null;
    watcher?.passEnded(completed);
  }
  return captured;
}

/** The same tensor object given to two inputs (AddBackward0 hands g to both): nobody owns it alone. */
function deliveredTwice(gradInputs: ReadonlyArray<Tensor | null>, index: number): boolean {
  const grad = gradInputs[index];
  for (let j = 0; j < gradInputs.length; j++) if (j !== index && gradInputs[j] === grad) return true;
  return false;
}

/** A non-leaf that asked retainGrad() keeps (and accumulates) the gradient that reached it. */
function retainGrad(tensor: Tensor, grad: Tensor, createGraph: boolean): void {
  const value = createGraph ? grad : grad.detach();
  if (tensor._grad === null) tensor._grad = createGraph ? value : value.clone();
  else tensor._grad = createGraph ? tensor._grad.add(value) : tensor._grad.detach().add(value);
}
