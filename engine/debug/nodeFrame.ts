/**
 * A stopped backward node as the debugger shows it: one plain object whose properties become
 * the synthetic frame's variables (gradOutput, gradInputs named after the inputs, the inputs
 * themselves with their current grad, the saved tensors). The adapter expands it like any
 * other remote object, so tensors inside present exactly as they do elsewhere.
 */
import { AccumulateGrad } from "../autograd/accumulateGrad";
import { OpNode, type Node } from "../autograd/node";
import type { Tensor } from "../tensor";
import { scopeEntries } from "./scopeEntries";

const TENSOR_BRAND = Symbol.for("gradscope.tensor");
const MODULE_BRAND = Symbol.for("gradscope.module");

interface ModuleLike {
  namedParameters(): Array<[string, Tensor]>;
}

function isTensorValue(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TENSOR_BRAND] === true;
}

function isModuleValue(value: unknown): value is ModuleLike {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MODULE_BRAND] === true;
}

/** The user's names for tensors, from scope objects (innermost first; the first name wins). */
export function namesFromScopes(scopes: readonly unknown[]): Map<Tensor, string> {
  const names = new Map<Tensor, string>();
  for (const [key, value] of scopeEntries(scopes)) {
    if (isTensorValue(value)) {
      if (!names.has(value)) names.set(value, key);
    } else if (isModuleValue(value)) {
      try {
        for (const [path, p] of value.namedParameters()) if (!names.has(p)) names.set(p, `${key}.${path}`);
      } catch {
        // a half-constructed module: no names from it
      }
    }
  }
  return names;
}

function savedOf(node: Node): readonly Tensor[] {
  // None once released by an earlier backward.
  return node instanceof OpNode ? (node.keptSavedTensors ?? []) : [];
}

/**
 * The tensor behind each input of a node: a leaf (through its AccumulateGrad), a non-leaf that
 * retains its grad, or a saved tensor produced by that input's node; null when unknown.
 */
export function nodeInputs(node: Node): Array<Tensor | null> {
  if (node instanceof AccumulateGrad) return [node.variable];
  const saved = savedOf(node);
  return node.next.map((child) => {
    if (!child) return null;
    if (child instanceof AccumulateGrad) return child.variable;
    if (child.retainer) return child.retainer;
    return saved.find((t) => t._gradFn === child) ?? null;
  });
}

/** One name per input: the user's name where known, made unique (x.mul(x) has two inputs `x`). */
export function inputNames(node: Node, names: Map<Tensor, string>): string[] {
  const taken = new Set<string>();
  return nodeInputs(node).map((tensor, i) => unique((tensor && names.get(tensor)) ?? `input${i}`, taken));
}

function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name} (${n})`;
  taken.add(candidate);
  return candidate;
}

/** What a stop records so that step back can show it as it was. */
export interface RecordedNode {
  node: Node;
  gradOutput: Tensor | null;
  gradInputs: Array<Tensor | null>;
  inputs: Array<Tensor | null>;
  /** Each leaf input's grad at the time of the stop (a copy); null for the others. */
  inputGradsThen: Array<Tensor | null>;
  saved: readonly Tensor[];
}

const copyOf = (t: Tensor | null | undefined): Tensor | null => (t ? t.detach().clone() : null);

/**
 * Cheap enough to run at every node while stepping: a node's gradOutput and gradInputs are
 * not changed later in the pass (each node runs once; a leaf's AccumulateGrad may adopt its
 * gradOutput as .grad but accumulates in place only into a grad that existed before), so
 * they are kept by reference. Only a leaf's existing grad, which accumulation changes in
 * place, is copied.
 */
export function recordNode(node: Node, gradOutput: Tensor | null, gradInputs: ReadonlyArray<Tensor | null>): RecordedNode {
  const inputs = nodeInputs(node);
  return {
    node,
    gradOutput,
    gradInputs: [...gradInputs],
    inputs,
    inputGradsThen: inputs.map((t) => (t && t.isLeaf ? copyOf(t._grad) : null)),
    saved: savedOf(node),
  };
}

/** The frame object for the live stop. */
export function liveFrame(node: Node, gradOutput: Tensor | null, gradInputs: ReadonlyArray<Tensor | null>, names: Map<Tensor, string>): Record<string, unknown> {
  return buildFrame(node, gradOutput, gradInputs, nodeInputs(node), savedOf(node), names, (t) => t);
}

/** The frame object of an earlier stop: copies of the gradients as they were then. */
export function recordedFrame(recorded: RecordedNode, names: Map<Tensor, string>): Record<string, unknown> {
  return buildFrame(recorded.node, recorded.gradOutput, recorded.gradInputs, recorded.inputs, recorded.saved, names, (t, i) => {
    if (!t.isLeaf) return t;
    // A stand-in leaf with the same values, flag and the gradient it had then.
    const then = t.detach();
    then._requiresGrad = t.requiresGrad;
    then._grad = recorded.inputGradsThen[i] ?? null;
    return then;
  });
}

function buildFrame(
  node: Node,
  gradOutput: Tensor | null,
  gradInputs: ReadonlyArray<Tensor | null>,
  inputs: Array<Tensor | null>,
  saved: readonly Tensor[],
  names: Map<Tensor, string>,
  present: (input: Tensor, index: number) => Tensor,
): Record<string, unknown> {
  const frame: Record<string, unknown> = {};
  const taken = new Set<string>(["gradOutput", "gradInputs", "saved"]);
  const inputNameList = inputNames(node, names);
  frame.gradOutput = gradOutput;
  if (!(node instanceof AccumulateGrad)) {
    const sent: Record<string, Tensor | null> = {};
    inputNameList.forEach((name, i) => (sent[name] = gradInputs[i] ?? null));
    frame.gradInputs = sent;
  }
  inputs.forEach((tensor, i) => {
    if (tensor) frame[unique(inputNameList[i]!, taken)] = present(tensor, i);
  });
  if (saved.length > 0) {
    const savedByName: Record<string, Tensor> = {};
    const savedTaken = new Set<string>();
    saved.forEach((t, i) => (savedByName[unique(names.get(t) ?? `saved${i}`, savedTaken)] = t));
    frame.saved = savedByName;
  }
  return frame;
}
