/**
 * Connects an op's output to the graph: if grad mode is on and any input requires grad,
 * the output gets a node holding the op's backward rule. This is the only place ops touch
 * autograd, so every op's forward and backward stand next to each other in its own file.
 */
import type { Tensor } from "../tensor";
import { isGradEnabled } from "./gradMode";
import { OpNode, type BackwardRule, type Node } from "./node";
import { AccumulateGrad } from "./accumulateGrad";
import { isRecordingForwardLocations } from "./tracking";
import { beginOpStack, endOpStack } from "../debug/location";

/** The node a tensor's gradient flows into: its gradFn, or for a leaf its AccumulateGrad. */
export function gradientEdge(tensor: Tensor): Node | null {
  if (tensor._gradFn) return tensor._gradFn;
  if (!tensor._requiresGrad) return null;
  return (tensor._accumulator ??= new AccumulateGrad(tensor));
}

export function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!.requiresGrad) return true;
  return false;
}

/**
 * Attach `rule` as `output`'s gradFn when a gradient is needed. `saved` are the tensors the
 * rule reads; they are checked against in-place changes and freed after backward. `constant`
 * is a number the rule reads as `node.constant`.
 */
export function record(
  output: Tensor,
  opName: string,
  inputs: readonly Tensor[],
  saved: Tensor[],
  rule: BackwardRule,
  constant?: number,
): Tensor {
  if (!anyRequiresGrad(inputs)) return output;
  // While the debugger records: one stack for the nodes made here, from the op's caller up.
  const recording = isRecordingForwardLocations();
  if (recording) beginOpStack(record);
  // One input (most ops): its edge alone, no array (see Edges).
  const edges = inputs.length === 1 ? gradientEdge(inputs[0]!) : inputs.map(gradientEdge);
  const node = new OpNode(opName, edges, saved, rule, constant);
  if (recording) endOpStack();
  if (saved.includes(output)) node.markSavedOutput(output);
  output._gradFn = node;
  return output;
}
