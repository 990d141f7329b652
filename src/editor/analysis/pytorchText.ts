/**
 * PyTorch's own texts, quoted verbatim in our messages (the engine raises the same ones at
 * run time: engine/tensor.ts `requiresGradLeafError` and `NON_LEAF_GRAD_WARNING`; a unit
 * test keeps the copies identical). Copied rather than imported: the extension must not
 * bundle engine code.
 */
export const LEAF_ONLY_ERROR = "you can only change requires_grad flags of leaf variables.";

export const DETACH_HINT =
  "If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().";

export const NON_LEAF_GRAD_WARNING =
  "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated " +
  "during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use " +
  ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf " +
  "Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.";

/** The RuntimeError text for `requiresGrad = flag` on a non-leaf (the hint only when freezing). */
export function leafOnlyErrorText(flag: "true" | "false" | "unknown"): string {
  return flag === "true" ? LEAF_ONLY_ERROR : `${LEAF_ONLY_ERROR} ${DETACH_HINT}`;
}
