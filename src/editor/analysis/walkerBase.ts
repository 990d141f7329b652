/**
 * The walk's state and its control-flow machinery, shared by the expression, call and
 * statement layers (expressionWalker.ts, callWalker.ts, walker.ts): variables and scopes,
 * the abstract state (Env), write tracking, branches, loops and deferred function bodies.
 */
import ts from "typescript";
import { type Binding, type Facts, type TensorFacts, type Tri, joinTri, UNKNOWN } from "./facts";
import { Env } from "./env";
import { skipOuter, isExpressionLike } from "./syntax";
import type { Candidate, Reference, Scope, Deferred } from "./walkTypes";

export abstract class WalkerBase {
  protected env = new Env();
  protected scope: Scope = { parent: null, names: new Map() };
  protected currentFunction: ts.Node;
  protected gradMode: Tri = "yes";
  protected statement: ts.Statement | undefined;
  /** > 0 during the silent probing walks of a loop body. */
  protected silent = 0;
  protected readonly writeTrackers: Set<Binding>[] = [];
  protected readonly writtenAnywhere = new Set<Binding>();
  protected readonly foreignWrites = new Set<Binding>();
  protected readonly loopWrites = new Map<ts.Node, Set<Binding>>();
  protected readonly deferred: Deferred[] = [];
  protected readonly deferredNodes = new Set<ts.Node>();
  /** Facts of `return` statements of the inline callback being walked (innermost last). */
  protected readonly returns: Facts[][] = [];
  protected readonly candidates = new Map<string, Candidate>();
  protected readonly references = new Map<number, Reference>();
  protected readonly bindings = new Map<ts.Identifier, Binding>();
  protected readonly readViews = new WeakMap<TensorFacts, { binding: Binding; view: TensorFacts }>();
  protected freezingSeen = false;
  protected gradModeChangedInFunction = false;
  protected inDeferredFunction = false;
  /** Functions may be called from inside `noGrad`, so their grad mode is only known if the file never switches it. */
  protected readonly deferredGradMode: Tri;

  constructor(protected readonly sourceFile: ts.SourceFile) {
    this.currentFunction = sourceFile;
    const text = sourceFile.text;
    this.deferredGradMode = text.includes("noGrad") || text.includes("setGradEnabled") ? "unknown" : "yes";
  }

  protected abstract evalExpr(node: ts.Expression): Facts;
  protected abstract visitStatement(node: ts.Statement): void;

  protected declare(name: ts.Identifier, kind: Binding["declarationKind"], facts: Facts, list?: ts.VariableDeclarationList): Binding {
    // One Binding per declaration, even when a loop body is walked twice: deferred function
    // bodies queued during the silent walk must see the facts of the reporting walk.
    let binding = this.bindings.get(name);
    if (!binding) {
      binding = { name: name.text, declaration: name, declarationKind: kind, owner: this.currentFunction, declarationList: list };
      this.bindings.set(name, binding);
    }
    this.scope.names.set(name.text, binding);
    this.env.set(binding, facts);
    this.recordReference(name, binding, facts);
    return binding;
  }

  protected lookup(name: string): Binding | undefined {
    for (let scope: Scope | null = this.scope; scope; scope = scope.parent) {
      const binding = scope.names.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  protected factsOf(binding: Binding): Facts {
    // A function body runs at some later time: a captured variable that is ever written may hold anything.
    if (this.inDeferredFunction && binding.owner !== this.currentFunction && this.writtenAnywhere.has(binding)) return UNKNOWN;
    return this.env.get(binding) ?? UNKNOWN;
  }

  protected assign(binding: Binding, facts: Facts): void {
    this.env.set(binding, facts);
    this.writtenAnywhere.add(binding);
    for (const tracker of this.writeTrackers) tracker.add(binding);
    if (binding.owner !== this.currentFunction) this.foreignWrites.add(binding);
  }

  protected recordReference(name: ts.Identifier, binding: Binding, facts: Facts): void {
    this.references.set(name.getStart(this.sourceFile), { binding, facts, end: name.end });
  }

  protected subjectOf(expression: ts.Expression): Binding | undefined {
    const inner = skipOuter(expression);
    return ts.isIdentifier(inner) ? this.lookup(inner.text) : undefined;
  }

  /** The statement being walked when `node` is all of it (then a quick fix can rewrite or remove it). */
  protected wholeStatement(node: ts.Expression): ts.ExpressionStatement | undefined {
    const statement = this.statement;
    return statement && ts.isExpressionStatement(statement) && skipOuter(statement.expression) === node ? statement : undefined;
  }

  protected withScope(body: () => void): void {
    const saved = this.scope;
    this.scope = { parent: saved, names: new Map() };
    try {
      body();
    } finally {
      this.scope = saved;
    }
  }

  protected report(candidate: Candidate): void {
    if (this.silent > 0) return;
    this.candidates.set(`${candidate.code}:${candidate.flagged.pos}`, candidate);
  }

  protected defer(node: Deferred["node"]): void {
    if (this.deferredNodes.has(node)) return;
    this.deferredNodes.add(node);
    this.deferred.push({ node, scope: this.scope });
  }

  /** Runs each arm from the same state and continues with the join of their end states. */
  protected branches(arms: ReadonlyArray<() => void>): void {
    const entry = this.env;
    const entryMode = this.gradMode;
    const ends: Env[] = [];
    let joinedMode: Tri = entryMode;
    arms.forEach((arm, index) => {
      this.env = entry.child();
      this.gradMode = entryMode;
      arm();
      ends.push(this.env);
      joinedMode = index === 0 ? this.gradMode : joinTri(joinedMode, this.gradMode);
    });
    entry.joinFrom(ends);
    this.env = entry;
    this.gradMode = joinedMode;
  }

  protected forgetAll(bindings: Iterable<Binding>): void {
    for (const binding of bindings) this.assign(binding, UNKNOWN);
  }

  /**
   * Walks a loop body so that what it reports holds on every iteration: variables the body
   * writes are "unknown" at its start. The write set is learnt by silent walks until it stops
   * growing (a write can depend on facts, e.g. an in-place op whose input became unknown), and
   * cached, so a loop inside a loop is probed once, not once per walk of the outer one.
   */
  protected loop(node: ts.Node, iteration: () => void): void {
    const entry = this.env;
    let mode = this.gradMode;
    let written = this.loopWrites.get(node);
    if (!written) {
      written = new Set();
      this.loopWrites.set(node, written);
      this.silent++;
      while (this.walkIteration(entry, mode, written, iteration)) mode = joinTri(mode, this.gradMode);
      this.silent--;
      mode = joinTri(mode, this.gradMode);
      this.env = entry;
    }
    for (;;) {
      const reportedBefore = this.candidates.size;
      const grew = this.walkIteration(entry, mode, written, iteration);
      if (!grew) {
        // Keep the facts of variables declared in the body, for function bodies that capture them.
        entry.commit(this.env);
        this.env = entry;
        break;
      }
      // Facts differed from the probe's: retract this walk's findings and walk again.
      [...this.candidates.keys()].slice(reportedBefore).forEach((key) => this.candidates.delete(key));
      mode = joinTri(mode, this.gradMode);
    }
    // The body ran zero or more times: what it writes is unknown afterwards.
    this.forgetAll(written);
    this.gradMode = joinTri(mode, this.gradMode);
  }

  /** One walk of a loop body from `entry` with `written` forgotten; true if it wrote something new. */
  protected walkIteration(entry: Env, mode: Tri, written: Set<Binding>, iteration: () => void): boolean {
    this.env = entry.child();
    this.gradMode = mode;
    this.forgetAll(written);
    const tracker = new Set<Binding>();
    this.writeTrackers.push(tracker);
    iteration();
    this.writeTrackers.pop();
    let grew = false;
    for (const binding of tracker) {
      if (!written.has(binding)) {
        written.add(binding);
        grew = true;
      }
    }
    return grew;
  }

  /**
   * When a tensor was created by exactly this initializer or right-hand side, remember the
   * statement, so a quick fix can insert `x.retainGrad()` after it or detach it there.
   */
  protected stampOrigin(facts: Facts, value: ts.Expression, statement: ts.Statement | undefined, boundTo: Binding | undefined): Facts {
    if (facts.kind !== "tensor" || facts.origin.expression !== skipOuter(value)) return facts;
    return { ...facts, origin: { ...facts.origin, statement, boundTo } };
  }

  /** Anything without special meaning: visit what it contains, skipping types. */
  protected visitChildren(node: ts.Node): void {
    ts.forEachChild(node, (child) => {
      if (ts.isTypeNode(child)) return;
      if (ts.isStatement(child) || ts.isBlock(child)) this.visitStatement(child);
      else if (ts.isIdentifier(child) || isExpressionLike(child)) this.evalExpr(child as ts.Expression);
      else this.visitChildren(child);
    });
  }
}
