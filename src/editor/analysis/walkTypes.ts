/** What the walk hands to the rest of the analysis, and the shapes it works with. */
import type ts from "typescript";
import type { Binding, Facts, TensorFacts } from "./facts";

export interface RequiresGradCandidate {
  readonly code: "nonLeafRequiresGrad";
  readonly subject: Binding;
  readonly subjectFacts: TensorFacts;
  /** `scaled.requiresGrad` of an assignment, or the whole `scaled.requiresGrad_(false)` call. */
  readonly flagged: ts.Node;
  readonly form: "setter" | "method";
  readonly value: "true" | "false" | "unknown";
  /** The expression statement when the mistake is the whole statement (then it can be rewritten). */
  readonly statement: ts.ExpressionStatement | undefined;
  /** The call, for the method form used as a value (`f(x.requiresGrad_(false))`). */
  readonly call: ts.CallExpression | undefined;
}

export interface GradReadCandidate {
  readonly code: "nonLeafGrad";
  readonly subject: Binding;
  readonly subjectFacts: TensorFacts;
  readonly flagged: ts.PropertyAccessExpression;
}

export type Candidate = RequiresGradCandidate | GradReadCandidate;

/** What was known about a variable where its name appears (for the hover). */
export interface Reference {
  readonly binding: Binding;
  readonly facts: Facts;
  readonly end: number;
}

export interface WalkResult {
  readonly candidates: readonly Candidate[];
  readonly references: ReadonlyMap<number, Reference>;
  readonly foreignWrites: ReadonlySet<Binding>;
  /** Some parameters were frozen (`p.requiresGrad = false` on a non-tensor): modules' outputs are uncertain. */
  readonly freezingSeen: boolean;
  /** `setGradEnabled` inside a function: grad mode anywhere may differ from what we assumed. */
  readonly gradModeChangedInFunction: boolean;
}

export interface Scope {
  readonly parent: Scope | null;
  readonly names: Map<string, Binding>;
}

export interface Deferred {
  readonly node: ts.SignatureDeclaration | ts.ClassLikeDeclaration;
  readonly scope: Scope;
}

export type FunctionLiteral = ts.ArrowFunction | ts.FunctionExpression;
