/**
 * What the analysis knows about the value of an expression or variable at one program point.
 * Every field is three-valued so that "don't know" is always representable: findings are
 * only reported on "yes"/"no", never on "unknown".
 */
import type ts from "typescript";

export type Tri = "yes" | "no" | "unknown";

/** A variable, parameter, function or import, identified by its declaring identifier. */
export interface Binding {
  readonly name: string;
  readonly declaration: ts.Identifier;
  readonly declarationKind: "const" | "let" | "var" | "parameter" | "function" | "class" | "import" | "catch";
  /** The function (or source file) whose body declares it: writes from elsewhere are "foreign". */
  readonly owner: ts.Node;
  /** The declaration list, so a quick fix can turn `const` into `let`. */
  readonly declarationList?: ts.VariableDeclarationList;
}

/** Where a tensor came from, for messages, hovers and quick fixes. */
export interface Origin {
  /** `mul`, `tensor(...)`, `detach()`, `model.call(...)`… as shown to the user. */
  readonly label: string;
  readonly how: "op" | "factory" | "detach" | "parameter" | "module" | "merged";
  /** The node whose position the message points at (the op's name). */
  readonly at: ts.Node;
  /** The whole creating expression (an initializer or right-hand side), for fixes. */
  readonly expression?: ts.Expression;
  /** The statement that creates it, for inserting `retainGrad()` right after. */
  readonly statement?: ts.Statement;
  /**
   * The variable the creating statement stores it in, when the creating expression is that
   * statement's whole initializer or right-hand side (`const scaled = w.mul(2)`).
   */
  readonly boundTo?: Binding;
  /** For op results: the input variable that made it require grad (`w`). */
  readonly fromName?: string;
  /** For factories: how requiresGrad was given (`requiresGrad: true`). */
  readonly note?: string;
}

/**
 * Why a tensor requires grad: a chain back to its root (a factory flag, a Parameter or a
 * module's parameters) through the variables it was computed from. Walked only when a
 * finding is about to be reported, to drop it if a link was invalidated (see walker).
 */
export interface GradWitness {
  readonly binding: Binding | null;
  readonly fromModuleParameters: boolean;
  /** Several after a control-flow merge: the claim needs all of them. */
  readonly parents: readonly GradWitness[];
}

/** The root of a chain whose claim cannot be invalidated (a literal `requiresGrad: true`). */
export const SELF_EVIDENT: GradWitness = { binding: null, fromModuleParameters: false, parents: [] };

export interface TensorFacts {
  readonly kind: "tensor";
  /** "no" means: certainly a non-leaf (it has a gradFn). */
  readonly leaf: Tri;
  readonly requiresGrad: Tri;
  readonly retainsGrad: Tri;
  readonly origin: Origin;
  readonly witness: GradWitness | null;
  /** The input that made it require grad, by name, for messages ("because `w` does"). */
  readonly gradFromName?: string;
}

export interface ModuleFacts {
  readonly kind: "module";
  readonly className: string;
  /** Whether the module owns parameters that require grad (Linear: yes, ReLU: no). */
  readonly hasGradParameters: Tri;
}

/** A "gradscope" import or a namespace inside it, by its path (`nn.functional`). */
export interface GradscopeFacts {
  readonly kind: "gradscope";
  readonly path: string;
}

/** A plain JS value that is not a tensor (numbers, strings, shapes, option objects). */
export interface ValueFacts {
  readonly kind: "value";
}

export interface UnknownFacts {
  readonly kind: "unknown";
}

export type Facts = TensorFacts | ModuleFacts | GradscopeFacts | ValueFacts | UnknownFacts;

export const UNKNOWN: UnknownFacts = { kind: "unknown" };
export const VALUE: ValueFacts = { kind: "value" };

/** Whether a value contributes requiresGrad to an op it is an input of. */
export function requiresGradOf(facts: Facts): Tri {
  if (facts.kind === "tensor") return facts.requiresGrad;
  if (facts.kind === "value") return "no";
  return "unknown";
}

/** A literal flag (`true`, `false`, or not a literal) as a Tri. */
export function triOfFlag(flag: "true" | "false" | "unknown"): Tri {
  return flag === "true" ? "yes" : flag === "false" ? "no" : "unknown";
}

export function joinTri(a: Tri, b: Tri): Tri {
  return a === b ? a : "unknown";
}

/** The least precise facts that hold on both paths (used where control flow merges). */
export function joinFacts(a: Facts, b: Facts): Facts {
  if (a === b) return a;
  if (a.kind === "tensor" && b.kind === "tensor") {
    const sameOrigin = a.origin.at === b.origin.at;
    return {
      kind: "tensor",
      leaf: joinTri(a.leaf, b.leaf),
      requiresGrad: joinTri(a.requiresGrad, b.requiresGrad),
      retainsGrad: joinTri(a.retainsGrad, b.retainsGrad),
      origin: sameOrigin ? a.origin : { label: "one of several assignments", how: "merged", at: a.origin.at },
      // After a merge the claim "requires grad" rests on both paths' chains.
      witness: a.witness && b.witness ? { binding: null, fromModuleParameters: false, parents: [a.witness, b.witness] } : null,
      gradFromName: a.gradFromName === b.gradFromName ? a.gradFromName : undefined,
    };
  }
  if (a.kind === "module" && b.kind === "module") {
    return { kind: "module", className: a.className === b.className ? a.className : "Module", hasGradParameters: joinTri(a.hasGradParameters, b.hasGradParameters) };
  }
  if (a.kind === "gradscope" && b.kind === "gradscope" && a.path === b.path) return a;
  if (a.kind === "value" && b.kind === "value") return VALUE;
  return UNKNOWN;
}

/** Every link of a witness chain (a DAG after merges), each visited once. */
export function* witnessLinks(witness: GradWitness | null): Generator<GradWitness> {
  const pending: GradWitness[] = witness ? [witness] : [];
  const seen = new Set<GradWitness>();
  while (pending.length > 0) {
    const link = pending.pop()!;
    if (seen.has(link)) continue;
    seen.add(link);
    yield link;
    pending.push(...link.parents);
  }
}
