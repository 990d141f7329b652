/**
 * One abstract-interpretation pass over a TypeScript syntax tree (no type checker, no
 * Program): it follows tensors through variables in source order and records where the
 * program sets `requiresGrad` on, or reads `.grad` of, a tensor it is sure is a non-leaf.
 *
 * Soundness stance — we must never warn on a leaf or an unknown:
 * - branches (if, ?:, &&, switch, try/catch) are walked from copies of the state and joined;
 *   anything that differs becomes "unknown";
 * - a loop body is walked once silently to learn which variables it writes, then again,
 *   reporting, with those variables "unknown" (the state at the start of any iteration);
 * - function bodies run later, from anywhere: they are walked after the code that declares
 *   them, with captured variables that are ever written treated as "unknown"; writes a
 *   function makes to captured variables ("foreign writes") invalidate, at the end, any
 *   finding whose reasoning went through that variable (see GradWitness);
 * - only `noGrad`/`enableGrad` callbacks, which run on the spot, are walked inline.
 * Nested function bodies are each walked once; a loop body at most twice per walk of its
 * enclosing code, and its write set is cached, so nesting costs depth+1 walks, not 2^depth.
 */
import ts from "typescript";
import {
  type Binding, type Facts, type GradWitness, type ModuleFacts, type Origin, type TensorFacts, type Tri,
  joinFacts, requiresGradOf, SELF_EVIDENT, UNKNOWN, VALUE,
} from "./facts";
import {
  DIFFERENTIABLE_FUNCTIONS, DIFFERENTIABLE_GETTERS, DIFFERENTIABLE_METHODS, FACTORIES, HARMLESS_GLOBAL_RECEIVERS,
  IN_PLACE_METHODS, INTEGER_FACTORIES, MODULES_WITH_PARAMETERS, MODULES_WITHOUT_PARAMETERS,
  NON_DIFFERENTIABLE_FUNCTIONS, NON_DIFFERENTIABLE_METHODS, TENSOR_ONLY_WITHOUT_ARGUMENTS,
} from "./gradscopeApi";
import { isCompoundAssignment, isLiteralValue, literalBoolean, patternIdentifiers, requiresGradMethodFlag, skipOuter } from "./syntax";

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

interface Scope {
  readonly parent: Scope | null;
  readonly names: Map<string, Binding>;
}

type Env = Map<Binding, Facts>;

interface Deferred {
  readonly node: ts.SignatureDeclaration | ts.ClassLikeDeclaration;
  readonly scope: Scope;
}

type FunctionLiteral = ts.ArrowFunction | ts.FunctionExpression;

function joinTri(a: Tri, b: Tri): Tri {
  return a === b ? a : "unknown";
}

function joinEnvs(a: Env, b: Env): Env {
  const joined = new Map(a);
  for (const [binding, facts] of b) {
    const other = a.get(binding);
    joined.set(binding, other === undefined ? facts : joinFacts(other, facts));
  }
  return joined;
}

export function walkSourceFile(sourceFile: ts.SourceFile): WalkResult {
  return new Walker(sourceFile).run();
}

class Walker {
  private env: Env = new Map();
  private scope: Scope = { parent: null, names: new Map() };
  private currentFunction: ts.Node;
  private gradMode: Tri = "yes";
  private statement: ts.Statement | undefined;
  /** > 0 during the silent first walk of a loop body. */
  private silent = 0;
  private readonly writeTrackers: Set<Binding>[] = [];
  private readonly writtenAnywhere = new Set<Binding>();
  private readonly foreignWrites = new Set<Binding>();
  private readonly loopWrites = new Map<ts.Node, Set<Binding>>();
  private readonly deferred: Deferred[] = [];
  private readonly deferredNodes = new Set<ts.Node>();
  /** Facts of `return` statements of the inline callback being walked (innermost last). */
  private readonly returns: Facts[][] = [];
  private readonly candidates = new Map<string, Candidate>();
  private readonly references = new Map<number, Reference>();
  private readonly bindings = new Map<ts.Identifier, Binding>();
  private freezingSeen = false;
  private gradModeChangedInFunction = false;
  private inDeferredFunction = false;
  /** Functions may be called from inside `noGrad`, so their grad mode is only known if the file never switches it. */
  private readonly deferredGradMode: Tri;

  constructor(private readonly sourceFile: ts.SourceFile) {
    this.currentFunction = sourceFile;
    const text = sourceFile.text;
    this.deferredGradMode = text.includes("noGrad") || text.includes("setGradEnabled") ? "unknown" : "yes";
  }

  run(): WalkResult {
    this.visitStatements(this.sourceFile.statements);
    this.inDeferredFunction = true;
    for (let i = 0; i < this.deferred.length; i++) this.walkDeferred(this.deferred[i]);
    return {
      candidates: [...this.candidates.values()],
      references: this.references,
      foreignWrites: this.foreignWrites,
      freezingSeen: this.freezingSeen,
      gradModeChangedInFunction: this.gradModeChangedInFunction,
    };
  }

  // ---- bindings -------------------------------------------------------------------------

  private declare(name: ts.Identifier, kind: Binding["declarationKind"], facts: Facts, list?: ts.VariableDeclarationList): Binding {
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

  private lookup(name: string): Binding | undefined {
    for (let scope: Scope | null = this.scope; scope; scope = scope.parent) {
      const binding = scope.names.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  private factsOf(binding: Binding): Facts {
    // A function body runs at some later time: a captured variable that is ever written may hold anything.
    if (this.inDeferredFunction && binding.owner !== this.currentFunction && this.writtenAnywhere.has(binding)) return UNKNOWN;
    return this.env.get(binding) ?? UNKNOWN;
  }

  private assign(binding: Binding, facts: Facts): void {
    this.env.set(binding, facts);
    this.writtenAnywhere.add(binding);
    for (const tracker of this.writeTrackers) tracker.add(binding);
    if (binding.owner !== this.currentFunction) this.foreignWrites.add(binding);
  }

  private recordReference(name: ts.Identifier, binding: Binding, facts: Facts): void {
    this.references.set(name.getStart(this.sourceFile), { binding, facts, end: name.end });
  }

  private subjectOf(expression: ts.Expression): Binding | undefined {
    const inner = skipOuter(expression);
    return ts.isIdentifier(inner) ? this.lookup(inner.text) : undefined;
  }

  private withScope(body: () => void): void {
    const saved = this.scope;
    this.scope = { parent: saved, names: new Map() };
    try {
      body();
    } finally {
      this.scope = saved;
    }
  }

  private report(candidate: Candidate): void {
    if (this.silent > 0) return;
    this.candidates.set(`${candidate.code}:${candidate.flagged.pos}`, candidate);
  }

  private defer(node: Deferred["node"]): void {
    if (this.deferredNodes.has(node)) return;
    this.deferredNodes.add(node);
    this.deferred.push({ node, scope: this.scope });
  }

  // ---- control flow -----------------------------------------------------------------------

  /** Runs each arm from the same state and continues with the join of their end states. */
  private branches(arms: ReadonlyArray<() => void>): void {
    const entry = this.env;
    const entryMode = this.gradMode;
    let joined: Env | undefined;
    let joinedMode: Tri = entryMode;
    arms.forEach((arm, index) => {
      this.env = new Map(entry);
      this.gradMode = entryMode;
      arm();
      joined = joined ? joinEnvs(joined, this.env) : this.env;
      joinedMode = index === 0 ? this.gradMode : joinTri(joinedMode, this.gradMode);
    });
    this.env = joined ?? entry;
    this.gradMode = joinedMode;
  }

  private forgetAll(bindings: Iterable<Binding>): void {
    for (const binding of bindings) this.assign(binding, UNKNOWN);
  }

  private loop(node: ts.Node, iteration: () => void): void {
    const entryMode = this.gradMode;
    let written = this.loopWrites.get(node);
    if (!written) {
      written = new Set();
      const entry = new Map(this.env);
      this.writeTrackers.push(written);
      this.silent++;
      iteration();
      this.silent--;
      this.writeTrackers.pop();
      this.gradMode = joinTri(entryMode, this.gradMode);
      this.env = entry;
      this.loopWrites.set(node, written);
    }
    this.forgetAll(written);
    const startMode = this.gradMode;
    iteration();
    // The body ran zero or more times: what it writes is unknown afterwards.
    this.forgetAll(written);
    this.gradMode = joinTri(startMode, this.gradMode);
  }

  // ---- statements -------------------------------------------------------------------------

  private visitStatements(statements: ts.NodeArray<ts.Statement>): void {
    // Hoisting: imports and function declarations are usable before their position.
    for (const statement of statements) {
      if (ts.isImportDeclaration(statement)) this.declareImport(statement);
      else if (ts.isFunctionDeclaration(statement) && statement.name) {
        this.declare(statement.name, "function", UNKNOWN);
        if (statement.body) this.defer(statement);
      }
    }
    for (const statement of statements) this.visitStatement(statement);
  }

  private visitStatement(node: ts.Statement): void {
    const saved = this.statement;
    this.statement = node;
    try {
      this.visitStatementInner(node);
    } finally {
      this.statement = saved;
    }
  }

  private visitStatementInner(node: ts.Statement): void {
    switch (node.kind) {
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.FunctionDeclaration: // hoisted above
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.EmptyStatement:
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement:
      case ts.SyntaxKind.DebuggerStatement:
        return;
      case ts.SyntaxKind.VariableStatement:
        return this.visitDeclarationList((node as ts.VariableStatement).declarationList, node as ts.VariableStatement);
      case ts.SyntaxKind.ExpressionStatement:
        this.evalExpr((node as ts.ExpressionStatement).expression);
        return;
      case ts.SyntaxKind.Block:
        return this.withScope(() => this.visitStatements((node as ts.Block).statements));
      case ts.SyntaxKind.IfStatement: {
        const ifStatement = node as ts.IfStatement;
        this.evalExpr(ifStatement.expression);
        const elseStatement = ifStatement.elseStatement;
        return this.branches([
          () => this.visitNested(ifStatement.thenStatement),
          () => { if (elseStatement) this.visitNested(elseStatement); },
        ]);
      }
      case ts.SyntaxKind.ReturnStatement:
      case ts.SyntaxKind.ThrowStatement: {
        const expression = (node as ts.ReturnStatement | ts.ThrowStatement).expression;
        const facts = expression ? this.evalExpr(expression) : VALUE;
        if (node.kind === ts.SyntaxKind.ReturnStatement) this.returns.at(-1)?.push(facts);
        return;
      }
      case ts.SyntaxKind.ForStatement:
        return this.visitFor(node as ts.ForStatement);
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement:
        return this.visitForOf(node as ts.ForOfStatement | ts.ForInStatement);
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement: {
        const loop = node as ts.WhileStatement | ts.DoStatement;
        return this.loop(node, () => {
          this.evalExpr(loop.expression);
          this.visitNested(loop.statement);
        });
      }
      case ts.SyntaxKind.TryStatement:
        return this.visitTry(node as ts.TryStatement);
      case ts.SyntaxKind.SwitchStatement:
        return this.visitSwitch(node as ts.SwitchStatement);
      case ts.SyntaxKind.LabeledStatement:
        return this.visitStatement((node as ts.LabeledStatement).statement);
      case ts.SyntaxKind.ClassDeclaration: {
        const declaration = node as ts.ClassDeclaration;
        if (declaration.name) this.declare(declaration.name, "class", UNKNOWN);
        this.defer(declaration);
        return;
      }
      default:
        this.visitChildren(node);
    }
  }

  /** A statement in a nested position (an `if` arm, a loop body): its own block scope. */
  private visitNested(node: ts.Statement): void {
    this.withScope(() => this.visitStatement(node));
  }

  private visitDeclarationList(list: ts.VariableDeclarationList, statement?: ts.VariableStatement): void {
    const kind = list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
    // `declare const x: T` has a value we cannot see; `let x;` holds undefined until assigned.
    const ambient = statement?.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword) ?? false;
    for (const declaration of list.declarations) {
      const facts: Facts = declaration.initializer ? this.evalExpr(declaration.initializer) : ambient ? UNKNOWN : VALUE;
      if (ts.isIdentifier(declaration.name)) {
        const binding = this.declare(declaration.name, kind, facts, list);
        if (declaration.initializer) this.env.set(binding, this.stampOrigin(facts, declaration.initializer, statement, binding));
      } else {
        this.visitBindingDefaults(declaration.name);
        for (const name of patternIdentifiers(declaration.name)) this.declare(name, kind, UNKNOWN, list);
      }
    }
  }

  /** Default values inside a destructuring pattern are evaluated (they may read tensors). */
  private visitBindingDefaults(pattern: ts.BindingPattern): void {
    for (const element of pattern.elements) {
      if (!ts.isBindingElement(element)) continue;
      if (element.initializer) this.evalExpr(element.initializer);
      if (!ts.isIdentifier(element.name)) this.visitBindingDefaults(element.name);
    }
  }

  /**
   * When a tensor was created by exactly this initializer or right-hand side, remember the
   * statement, so a quick fix can insert `x.retainGrad()` after it or detach it there.
   */
  private stampOrigin(facts: Facts, value: ts.Expression, statement: ts.Statement | undefined, boundTo: Binding | undefined): Facts {
    if (facts.kind !== "tensor" || facts.origin.expression !== skipOuter(value)) return facts;
    return { ...facts, origin: { ...facts.origin, statement, boundTo } };
  }

  private visitFor(node: ts.ForStatement): void {
    this.withScope(() => {
      const initializer = node.initializer;
      if (initializer) {
        if (ts.isVariableDeclarationList(initializer)) this.visitDeclarationList(initializer);
        else this.evalExpr(initializer);
      }
      this.loop(node, () => {
        if (node.condition) this.evalExpr(node.condition);
        this.visitNested(node.statement);
        if (node.incrementor) this.evalExpr(node.incrementor);
      });
    });
  }

  private visitForOf(node: ts.ForOfStatement | ts.ForInStatement): void {
    this.evalExpr(node.expression);
    this.loop(node, () => this.withScope(() => {
      const initializer = node.initializer;
      if (ts.isVariableDeclarationList(initializer)) {
        const kind = initializer.flags & ts.NodeFlags.Const ? "const" : initializer.flags & ts.NodeFlags.Let ? "let" : "var";
        for (const declaration of initializer.declarations) {
          for (const name of patternIdentifiers(declaration.name)) this.declare(name, kind, UNKNOWN, initializer);
        }
      } else {
        this.assignPattern(initializer, UNKNOWN);
      }
      this.visitNested(node.statement);
    }));
  }

  private visitTry(node: ts.TryStatement): void {
    const entry = new Map(this.env);
    const entryMode = this.gradMode;
    const writtenInTry = new Set<Binding>();
    this.writeTrackers.push(writtenInTry);
    this.visitStatement(node.tryBlock);
    this.writeTrackers.pop();
    const afterTry = this.env;
    // The try block may have stopped anywhere: what it writes is unknown in the catch block.
    const atThrow = new Map(entry);
    for (const binding of writtenInTry) atThrow.set(binding, UNKNOWN);
    const throwMode = joinTri(entryMode, this.gradMode);
    const catchClause = node.catchClause;
    if (catchClause) {
      const tryMode = this.gradMode;
      this.env = atThrow;
      this.gradMode = throwMode;
      this.withScope(() => {
        const variable = catchClause.variableDeclaration;
        if (variable) for (const name of patternIdentifiers(variable.name)) this.declare(name, "catch", UNKNOWN);
        this.visitStatement(catchClause.block);
      });
      this.env = joinEnvs(afterTry, this.env);
      this.gradMode = joinTri(tryMode, this.gradMode);
    } else {
      this.env = joinEnvs(afterTry, atThrow);
      this.gradMode = throwMode;
    }
    if (node.finallyBlock) this.visitStatement(node.finallyBlock);
  }

  private visitSwitch(node: ts.SwitchStatement): void {
    this.evalExpr(node.expression);
    const entry = this.env;
    const entryMode = this.gradMode;
    let joined = new Map(entry);
    let mode = entryMode;
    let previousEnd: Env | undefined;
    this.withScope(() => {
      for (const clause of node.caseBlock.clauses) {
        // A clause is entered by matching or by falling through from the previous one.
        this.env = previousEnd ? joinEnvs(entry, previousEnd) : new Map(entry);
        if (ts.isCaseClause(clause)) this.evalExpr(clause.expression);
        for (const statement of clause.statements) this.visitStatement(statement);
        previousEnd = this.env;
        joined = joinEnvs(joined, this.env);
        mode = joinTri(mode, this.gradMode);
      }
    });
    this.env = joined;
    this.gradMode = mode;
  }

  /** Anything without special meaning: visit what it contains, skipping types. */
  private visitChildren(node: ts.Node): void {
    ts.forEachChild(node, (child) => {
      if (ts.isTypeNode(child)) return;
      if (ts.isStatement(child) || ts.isBlock(child)) this.visitStatement(child);
      else if (ts.isIdentifier(child) || isExpressionLike(child)) this.evalExpr(child as ts.Expression);
      else this.visitChildren(child);
    });
  }

  // ---- deferred function bodies -----------------------------------------------------------

  private walkDeferred({ node, scope }: Deferred): void {
    this.scope = scope;
    this.currentFunction = node;
    this.gradMode = this.deferredGradMode;
    this.statement = undefined;
    this.returns.push([]);
    this.withScope(() => {
      if (ts.isClassLike(node)) this.walkClassMembers(node);
      else this.walkFunctionBody(node);
    });
    this.returns.pop();
  }

  private walkFunctionBody(node: ts.SignatureDeclaration): void {
    for (const parameter of node.parameters) {
      if (parameter.initializer) this.evalExpr(parameter.initializer);
      for (const name of patternIdentifiers(parameter.name)) this.declare(name, "parameter", UNKNOWN);
    }
    const body = (node as ts.FunctionLikeDeclaration).body;
    if (!body) return;
    if (ts.isBlock(body)) this.visitStatement(body);
    else this.returns.at(-1)?.push(this.evalExpr(body));
  }

  private walkClassMembers(node: ts.ClassLikeDeclaration): void {
    for (const member of node.members) {
      if (ts.isPropertyDeclaration(member)) {
        if (member.initializer) this.evalExpr(member.initializer);
      } else if (ts.isClassStaticBlockDeclaration(member)) {
        this.visitStatement(member.body);
      } else if (ts.isFunctionLike(member) && (member as ts.FunctionLikeDeclaration).body) {
        this.defer(member);
      }
    }
  }

  // ---- expressions ------------------------------------------------------------------------

  private evalExpr(node: ts.Expression): Facts {
    switch (node.kind) {
      case ts.SyntaxKind.Identifier:
        return this.readIdentifier(node as ts.Identifier);
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        return this.evalExpr((node as ts.ParenthesizedExpression).expression);
      case ts.SyntaxKind.BinaryExpression:
        return this.evalBinary(node as ts.BinaryExpression);
      case ts.SyntaxKind.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression;
        this.evalExpr(conditional.condition);
        let whenTrue: Facts = UNKNOWN;
        let whenFalse: Facts = UNKNOWN;
        this.branches([
          () => { whenTrue = this.evalExpr(conditional.whenTrue); },
          () => { whenFalse = this.evalExpr(conditional.whenFalse); },
        ]);
        return joinFacts(whenTrue, whenFalse);
      }
      case ts.SyntaxKind.CallExpression:
        return this.evalCall(node as ts.CallExpression);
      case ts.SyntaxKind.NewExpression:
        return this.evalCall(node as ts.NewExpression);
      case ts.SyntaxKind.PropertyAccessExpression:
        return this.evalPropertyAccess(node as ts.PropertyAccessExpression);
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ClassExpression:
        this.defer(node as FunctionLiteral | ts.ClassExpression);
        return UNKNOWN;
      case ts.SyntaxKind.ArrayLiteralExpression: {
        const elements = (node as ts.ArrayLiteralExpression).elements.map((element) => this.evalExpr(element));
        return elements.every((facts) => facts.kind === "value") ? VALUE : UNKNOWN;
      }
      case ts.SyntaxKind.ObjectLiteralExpression:
        this.evalObjectLiteral(node as ts.ObjectLiteralExpression);
        return UNKNOWN; // may be an options object carrying `requiresGrad`
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression: {
        const unary = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        this.evalExpr(unary.operand);
        const operand = skipOuter(unary.operand);
        const isUpdate = unary.operator === ts.SyntaxKind.PlusPlusToken || unary.operator === ts.SyntaxKind.MinusMinusToken;
        if (isUpdate && ts.isIdentifier(operand)) {
          const binding = this.lookup(operand.text);
          if (binding) this.assign(binding, VALUE);
        }
        return VALUE;
      }
      case ts.SyntaxKind.TemplateExpression:
      case ts.SyntaxKind.TypeOfExpression:
      case ts.SyntaxKind.VoidExpression:
      case ts.SyntaxKind.DeleteExpression:
        this.visitChildren(node);
        return VALUE;
      default:
        if (isLiteralValue(node)) return VALUE;
        this.visitChildren(node);
        return UNKNOWN;
    }
  }

  private evalObjectLiteral(node: ts.ObjectLiteralExpression): void {
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property)) {
        if (ts.isComputedPropertyName(property.name)) this.evalExpr(property.name.expression);
        this.evalExpr(property.initializer);
      } else if (ts.isShorthandPropertyAssignment(property)) {
        this.readIdentifier(property.name);
      } else if (ts.isSpreadAssignment(property)) {
        this.evalExpr(property.expression);
      } else if (ts.isMethodDeclaration(property) || ts.isAccessor(property)) {
        this.defer(property);
      }
    }
  }

  private readIdentifier(node: ts.Identifier): Facts {
    const binding = this.lookup(node.text);
    if (!binding) return UNKNOWN;
    const facts = this.factsOf(binding);
    this.recordReference(node, binding, facts);
    if (facts.kind !== "tensor") return facts;
    // Link the chain "requires grad" through this variable, and name it for messages.
    const witness: GradWitness | null = facts.witness ? { binding, fromModuleParameters: false, parents: [facts.witness] } : null;
    return { ...facts, witness, gradFromName: binding.name };
  }

  private evalBinary(node: ts.BinaryExpression): Facts {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.EqualsToken) return this.evalAssignment(node);
    if (isCompoundAssignment(operator)) {
      const left = skipOuter(node.left);
      const before = this.evalExpr(left);
      const right = this.evalExpr(node.right);
      const binding = ts.isIdentifier(left) ? this.lookup(left.text) : undefined;
      const result = before.kind === "value" && right.kind === "value" ? VALUE : UNKNOWN;
      if (binding) this.assign(binding, result);
      return result;
    }
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken ||
      operator === ts.SyntaxKind.QuestionQuestionToken) {
      const left = this.evalExpr(node.left);
      let right: Facts = UNKNOWN;
      this.branches([() => { right = this.evalExpr(node.right); }, () => {}]);
      return joinFacts(left, right);
    }
    if (operator === ts.SyntaxKind.CommaToken) {
      this.evalExpr(node.left);
      return this.evalExpr(node.right);
    }
    // Arithmetic, comparison, instanceof, in: never a tensor.
    this.evalExpr(node.left);
    this.evalExpr(node.right);
    return VALUE;
  }

  private evalAssignment(node: ts.BinaryExpression): Facts {
    const left = skipOuter(node.left);
    if (ts.isIdentifier(left)) {
      const binding = this.lookup(left.text);
      const statement = this.statement && ts.isExpressionStatement(this.statement) && skipOuter(this.statement.expression) === node
        ? this.statement : undefined;
      const facts = this.stampOrigin(this.evalExpr(node.right), node.right, statement, binding);
      if (binding) {
        this.assign(binding, facts);
        this.recordReference(left, binding, facts);
      }
      return facts;
    }
    if (ts.isPropertyAccessExpression(left)) {
      const target = this.evalExpr(left.expression);
      const value = this.evalExpr(node.right);
      if (left.name.text === "requiresGrad") this.setRequiresGrad(left, target, node);
      return value;
    }
    if (ts.isElementAccessExpression(left)) {
      this.evalExpr(left.expression);
      this.evalExpr(left.argumentExpression);
      return this.evalExpr(node.right);
    }
    const value = this.evalExpr(node.right);
    this.assignPattern(left, UNKNOWN);
    return value;
  }

  private assignPattern(pattern: ts.Node, facts: Facts): void {
    for (const name of patternIdentifiers(pattern)) {
      const binding = this.lookup(name.text);
      if (binding) this.assign(binding, facts);
    }
  }

  /** `x.requiresGrad = value`: an error on a non-leaf; on anything else it makes x a leaf with that flag. */
  private setRequiresGrad(access: ts.PropertyAccessExpression, target: Facts, assignment: ts.BinaryExpression): void {
    const value = literalBoolean(assignment.right);
    const subject = this.subjectOf(access.expression);
    if (target.kind !== "tensor") {
      if (value !== "true") this.freezingSeen = true;
      return;
    }
    if (target.leaf === "no") {
      const statement = this.statement && ts.isExpressionStatement(this.statement) && skipOuter(this.statement.expression) === assignment
        ? this.statement : undefined;
      if (subject) this.report({ code: "nonLeafRequiresGrad", subject, subjectFacts: target, flagged: access, form: "setter", value, statement, call: undefined });
      return; // it throws: nothing after it runs with changed flags
    }
    if (subject) this.assign(subject, this.withLeafFlag(target, value));
  }

  /** After a successful flag change the tensor is known to be a leaf. */
  private withLeafFlag(facts: TensorFacts, value: "true" | "false" | "unknown"): TensorFacts {
    const requiresGrad: Tri = value === "true" ? "yes" : value === "false" ? "no" : "unknown";
    return { ...facts, leaf: "yes", requiresGrad, witness: requiresGrad === "yes" ? SELF_EVIDENT : null };
  }

  private evalPropertyAccess(node: ts.PropertyAccessExpression): Facts {
    const target = this.evalExpr(node.expression);
    const name = node.name.text;
    if (target.kind === "gradscope") return { kind: "gradscope", path: target.path ? `${target.path}.${name}` : name };
    if (target.kind !== "tensor") return UNKNOWN;
    if (name === "grad") {
      const subject = this.subjectOf(node.expression);
      if (subject && target.leaf === "no" && target.retainsGrad === "no") {
        this.report({ code: "nonLeafGrad", subject, subjectFacts: target, flagged: node });
      }
      return UNKNOWN;
    }
    if (name === "data") return this.leafWithoutGrad("data", node.name, node);
    if (DIFFERENTIABLE_GETTERS.has(name)) return this.opResult(name, node.name, node, [target]);
    return VALUE; // shape, dtype, isLeaf, requiresGrad, version…
  }

  // ---- calls --------------------------------------------------------------------------------

  private evalCall(node: ts.CallExpression | ts.NewExpression): Facts {
    const callee = skipOuter(node.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const receiver = this.evalExpr(callee.expression);
      const name = callee.name.text;
      if (receiver.kind === "gradscope") return this.callGradscope(receiver.path ? `${receiver.path}.${name}` : name, callee.name, node);
      if (ts.isCallExpression(node)) {
        if (receiver.kind === "tensor") return this.callTensorMethod(receiver, name, callee, node);
        if (receiver.kind === "module") return this.callModuleMethod(receiver, name, callee, node);
        if (name === "requiresGrad_" && requiresGradMethodFlag(node) !== "true") this.freezingSeen = true;
      }
      const base = skipOuter(callee.expression);
      const harmless = ts.isIdentifier(base) && !this.lookup(base.text) && HARMLESS_GLOBAL_RECEIVERS.has(base.text);
      this.evalArgumentsOfUnknownCall(node, !harmless);
      return UNKNOWN;
    }
    const calleeFacts = this.evalExpr(callee);
    if (calleeFacts.kind === "gradscope") return this.callGradscope(calleeFacts.path, callee, node);
    const harmless = ts.isIdentifier(callee) && !this.lookup(callee.text) && HARMLESS_GLOBAL_RECEIVERS.has(callee.text);
    this.evalArgumentsOfUnknownCall(node, !harmless);
    return UNKNOWN;
  }

  /**
   * A function we cannot see may flip the flags of the tensors and modules it is given
   * (`freeze(model)`, `p.requiresGrad_(false)`), so afterwards we only keep what cannot
   * change that way: a non-leaf stays a non-leaf.
   */
  private evalArgumentsOfUnknownCall(node: ts.CallExpression | ts.NewExpression, mayChangeFlags: boolean): void {
    for (const argument of node.arguments ?? []) {
      this.evalExpr(argument);
      if (!mayChangeFlags) continue;
      for (const name of escapingIdentifiers(argument)) {
        const binding = this.lookup(name.text);
        if (!binding) continue;
        const facts = this.factsOf(binding);
        if (facts.kind === "tensor" && facts.leaf !== "no") this.assign(binding, { ...facts, requiresGrad: "unknown", witness: null });
        else if (facts.kind === "module") this.assign(binding, { ...facts, hasGradParameters: "unknown" });
      }
    }
  }

  private evalArguments(node: ts.CallExpression | ts.NewExpression): Facts[] {
    return (node.arguments ?? []).map((argument) => this.evalExpr(argument));
  }

  /** Inputs of an op: arguments, with array literals (`cat([a, b])`) spread into their elements. */
  private evalInputs(node: ts.CallExpression | ts.NewExpression): Facts[] {
    const inputs: Facts[] = [];
    for (const argument of node.arguments ?? []) {
      const inner = skipOuter(argument);
      if (ts.isArrayLiteralExpression(inner)) for (const element of inner.elements) inputs.push(this.evalExpr(element));
      else if (ts.isObjectLiteralExpression(inner)) { this.evalObjectLiteral(inner); inputs.push(VALUE); } // options
      else inputs.push(this.evalExpr(argument));
    }
    return inputs;
  }

  private callTensorMethod(receiver: TensorFacts, name: string, callee: ts.PropertyAccessExpression, node: ts.CallExpression): Facts {
    const subject = this.subjectOf(callee.expression);
    switch (name) {
      case "detach":
        return this.leafWithoutGrad("detach()", callee.name, node);
      case "requiresGrad_":
        return this.callRequiresGradMethod(receiver, subject, node);
      case "retainGrad":
        this.evalArguments(node);
        if (subject && receiver.leaf !== "yes") this.assign(subject, { ...receiver, retainsGrad: "yes" });
        return VALUE;
      case "detach_": {
        const detached: TensorFacts = { ...this.leafWithoutGrad("detach_()", callee.name, node), origin: receiver.origin };
        if (subject) this.assign(subject, detached);
        return detached;
      }
    }
    if (IN_PLACE_METHODS.has(name)) {
      const inputs = this.evalInputs(node);
      const after = this.inPlaceResult(receiver, name, callee.name, node, inputs);
      if (subject && after !== receiver) this.assign(subject, after);
      return after;
    }
    if (DIFFERENTIABLE_METHODS.has(name)) {
      if (TENSOR_ONLY_WITHOUT_ARGUMENTS.has(name) && node.arguments.length > 0) {
        this.evalArguments(node);
        return UNKNOWN;
      }
      const toInteger = name === "to" && node.arguments.length > 0 && isInt64Literal(node.arguments[0]);
      const inputs = this.evalInputs(node);
      if (toInteger) return this.leafWithoutGrad(name, callee.name, node);
      return this.opResult(name, callee.name, node, [receiver, ...inputs]);
    }
    if (NON_DIFFERENTIABLE_METHODS.has(name)) {
      this.evalInputs(node);
      return this.leafWithoutGrad(name, callee.name, node);
    }
    if (name === "registerHook") {
      this.evalArguments(node);
      return UNKNOWN;
    }
    // item(), numel(), tolist(), backward(), toString()…: not tensors, and they leave flags alone.
    this.evalArguments(node);
    return name === "backward" ? VALUE : UNKNOWN;
  }

  private callRequiresGradMethod(receiver: TensorFacts, subject: Binding | undefined, node: ts.CallExpression): Facts {
    this.evalArguments(node);
    const value = requiresGradMethodFlag(node);
    if (receiver.leaf === "no") {
      // requiresGrad_(true) on a non-leaf is allowed (a no-op); only false throws.
      if (value === "false" && subject) {
        const statement = this.statement && ts.isExpressionStatement(this.statement) && skipOuter(this.statement.expression) === node
          ? this.statement : undefined;
        this.report({ code: "nonLeafRequiresGrad", subject, subjectFacts: receiver, flagged: node, form: "method", value, statement, call: node });
      }
      return receiver;
    }
    let after: TensorFacts;
    if (value === "false") after = this.withLeafFlag(receiver, "false");
    else if (value === "true") after = { ...receiver, requiresGrad: "yes", witness: receiver.witness ?? SELF_EVIDENT };
    else after = { ...receiver, requiresGrad: "unknown", witness: null };
    if (subject) this.assign(subject, after);
    return after;
  }

  private callModuleMethod(receiver: ModuleFacts, name: string, callee: ts.PropertyAccessExpression, node: ts.CallExpression): Facts {
    const subject = this.subjectOf(callee.expression);
    if (name === "call" || name === "forward") {
      const inputs = this.evalInputs(node);
      const parameters: Facts = receiver.hasGradParameters === "yes"
        ? { ...this.leafWithoutGrad("parameters", callee.name, node), requiresGrad: "yes", witness: { binding: subject ?? null, fromModuleParameters: true, parents: [] } }
        : receiver.hasGradParameters === "no" ? VALUE : UNKNOWN;
      const label = `${callee.expression.getText(this.sourceFile)}.${name}`;
      return this.opResult(label, callee.name, node, [...inputs, parameters], "module");
    }
    this.evalArguments(node);
    if (name === "requiresGrad_") {
      const value = requiresGradMethodFlag(node);
      if (value !== "true") this.freezingSeen = true;
      if (subject) this.assign(subject, { ...receiver, hasGradParameters: value === "true" ? "yes" : value === "false" ? "no" : "unknown" });
    }
    return UNKNOWN;
  }

  private callGradscope(path: string, nameNode: ts.Node, node: ts.CallExpression | ts.NewExpression): Facts {
    const lastDot = path.lastIndexOf(".");
    const namespace = lastDot < 0 ? "" : path.slice(0, lastDot);
    const name = path.slice(lastDot + 1);
    if (namespace === "" && (name === "noGrad" || name === "enableGrad")) return this.callGradModeCallback(name === "noGrad" ? "no" : "yes", node);
    if (namespace === "" && name === "setGradEnabled") {
      this.evalArguments(node);
      const flag = literalBoolean(node.arguments?.[0]);
      this.gradMode = flag === "true" ? "yes" : flag === "false" ? "no" : "unknown";
      if (this.inDeferredFunction) this.gradModeChangedInFunction = true;
      return VALUE;
    }
    if (namespace === "" && FACTORIES.has(name)) return this.factoryResult(name, nameNode, node);
    if (namespace === "" && INTEGER_FACTORIES.has(name)) {
      this.evalArguments(node);
      return this.leafWithoutGrad(`${name}(...)`, nameNode, node, "factory");
    }
    if (namespace === "nn" && name === "Parameter") {
      const args = this.evalArguments(node);
      const flag = args.length < 2 ? "true" : literalBoolean(node.arguments?.[1]);
      const requiresGrad: Tri = flag === "true" ? "yes" : flag === "false" ? "no" : "unknown";
      return {
        kind: "tensor", leaf: "yes", requiresGrad, retainsGrad: "no",
        origin: { label: "nn.Parameter(...)", how: "parameter", at: nameNode, expression: node },
        witness: requiresGrad === "yes" ? SELF_EVIDENT : null,
      };
    }
    if (namespace === "nn") return this.moduleConstruction(name, node);
    if ((namespace === "" || namespace === "nn.functional") && DIFFERENTIABLE_FUNCTIONS.has(name)) {
      return this.opResult(name, nameNode, node, this.evalInputs(node));
    }
    if (namespace === "" && NON_DIFFERENTIABLE_FUNCTIONS.has(name)) {
      this.evalInputs(node);
      return this.leafWithoutGrad(name, nameNode, node);
    }
    this.evalArguments(node); // optim.SGD, autograd.grad, manualSeed…: they never flip flags
    return name === "manualSeed" ? VALUE : UNKNOWN;
  }

  private moduleConstruction(name: string, node: ts.CallExpression | ts.NewExpression): Facts {
    const args = this.evalArguments(node);
    if (MODULES_WITH_PARAMETERS.has(name)) return { kind: "module", className: name, hasGradParameters: "yes" };
    if (MODULES_WITHOUT_PARAMETERS.has(name)) return { kind: "module", className: name, hasGradParameters: "no" };
    if (name === "Sequential") {
      const children = args.map((facts): Tri => (facts.kind === "module" ? facts.hasGradParameters : "unknown"));
      const hasGradParameters: Tri = children.includes("yes") ? "yes" : children.every((tri) => tri === "no") ? "no" : "unknown";
      return { kind: "module", className: name, hasGradParameters };
    }
    return UNKNOWN;
  }

  /** `noGrad(() => ...)` runs its callback right away, in the given grad mode. */
  private callGradModeCallback(mode: Tri, node: ts.CallExpression | ts.NewExpression): Facts {
    const callback = node.arguments?.[0] ? skipOuter(node.arguments[0]) : undefined;
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
      this.evalArguments(node);
      return UNKNOWN;
    }
    const savedMode = this.gradMode;
    this.gradMode = mode;
    const returned: Facts[] = [];
    this.returns.push(returned);
    this.withScope(() => {
      for (const parameter of callback.parameters) {
        for (const name of patternIdentifiers(parameter.name)) this.declare(name, "parameter", UNKNOWN);
      }
      if (ts.isBlock(callback.body)) this.visitStatement(callback.body);
      else returned.push(this.evalExpr(callback.body));
    });
    this.returns.pop();
    this.gradMode = savedMode;
    return returned.length === 0 ? VALUE : returned.reduce(joinFacts);
  }

  // ---- results ----------------------------------------------------------------------------

  private factoryResult(name: string, nameNode: ts.Node, node: ts.CallExpression | ts.NewExpression): TensorFacts {
    const args = node.arguments ?? ts.factory.createNodeArray();
    const facts = this.evalArguments(node);
    // Data or shape arguments come first; options come last.
    const dataArguments = name === "tensor" || name.endsWith("Like") ? 1 : name === "full" ? 2 : 0;
    let flag: "true" | "false" | "unknown" = "false";
    for (let i = dataArguments; i < args.length; i++) {
      const argument = skipOuter(args[i]);
      if (ts.isObjectLiteralExpression(argument)) {
        flag = requiresGradOption(argument);
        break;
      }
      if (facts[i]?.kind !== "value" && !ts.isArrayLiteralExpression(argument)) flag = "unknown";
    }
    const requiresGrad: Tri = flag === "true" ? "yes" : flag === "false" ? "no" : "unknown";
    return {
      kind: "tensor", leaf: "yes", requiresGrad, retainsGrad: "no",
      origin: { label: `${name}(...)`, how: "factory", at: nameNode, expression: node, note: flag === "true" ? "requiresGrad: true" : undefined },
      witness: requiresGrad === "yes" ? SELF_EVIDENT : null,
    };
  }

  private leafWithoutGrad(label: string, at: ts.Node, expression: ts.Expression, how: Origin["how"] = "detach"): TensorFacts {
    return { kind: "tensor", leaf: "yes", requiresGrad: "no", retainsGrad: "no", origin: { label, how, at, expression }, witness: null };
  }

  /** An autograd-recorded op: a non-leaf exactly when grad mode is on and an input requires grad. */
  private opResult(label: string, at: ts.Node, expression: ts.Expression, inputs: readonly Facts[], how: Origin["how"] = "op"): TensorFacts {
    const origin: Origin = { label, how, at, expression };
    let anyUnknown = false;
    let requiringInput: Facts | undefined;
    for (const input of inputs) {
      const tri = requiresGradOf(input);
      if (tri === "yes") { requiringInput = input; break; }
      if (tri === "unknown") anyUnknown = true;
    }
    if (this.gradMode === "no" || (!requiringInput && !anyUnknown)) {
      return { kind: "tensor", leaf: "yes", requiresGrad: "no", retainsGrad: "no", origin, witness: null };
    }
    if (this.gradMode === "yes" && requiringInput && requiringInput.kind === "tensor") {
      return {
        kind: "tensor", leaf: "no", requiresGrad: "yes", retainsGrad: "no", origin: { ...origin, fromName: requiringInput.gradFromName },
        witness: requiringInput.witness ?? SELF_EVIDENT, gradFromName: requiringInput.gradFromName,
      };
    }
    return { kind: "tensor", leaf: "unknown", requiresGrad: "unknown", retainsGrad: "no", origin, witness: null };
  }

  private inPlaceResult(receiver: TensorFacts, label: string, at: ts.Node, node: ts.CallExpression, inputs: readonly Facts[]): TensorFacts {
    if (receiver.leaf === "no" || this.gradMode === "no") return receiver;
    const viaInputs = this.opResult(label, at, node, inputs);
    if (viaInputs.requiresGrad === "no") return receiver;
    // A leaf that does not require grad becomes a non-leaf when an input requires grad
    // (an in-place op on a leaf that requires grad throws, so flags are unchanged then).
    if (receiver.leaf === "yes" && receiver.requiresGrad === "no") return viaInputs;
    return { ...receiver, leaf: "unknown", requiresGrad: viaInputs.requiresGrad === "yes" ? "yes" : "unknown", witness: viaInputs.witness };
  }

  // ---- imports ------------------------------------------------------------------------------

  private declareImport(node: ts.ImportDeclaration): void {
    const clause = node.importClause;
    if (!clause || clause.isTypeOnly) return;
    const fromGradscope = ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === "gradscope";
    const factsFor = (path: string): Facts => (fromGradscope ? { kind: "gradscope", path } : UNKNOWN);
    if (clause.name) this.declare(clause.name, "import", factsFor(""));
    const bindings = clause.namedBindings;
    if (!bindings) return;
    if (ts.isNamespaceImport(bindings)) {
      this.declare(bindings.name, "import", factsFor(""));
    } else {
      for (const element of bindings.elements) {
        if (element.isTypeOnly) continue;
        this.declare(element.name, "import", factsFor((element.propertyName ?? element.name).text));
      }
    }
  }
}

function isExpressionLike(node: ts.Node): boolean {
  return ts.isExpression(node) || ts.isSpreadElement(node);
}

function isInt64Literal(node: ts.Expression): boolean {
  const inner = skipOuter(node);
  return ts.isStringLiteralLike(inner) && inner.text === "int64";
}

function requiresGradOption(options: ts.ObjectLiteralExpression): "true" | "false" | "unknown" {
  let flag: "true" | "false" | "unknown" = "false";
  for (const property of options.properties) {
    if (ts.isSpreadAssignment(property)) flag = "unknown";
    else if (property.name && ts.isIdentifier(property.name) && property.name.text === "requiresGrad") {
      flag = ts.isPropertyAssignment(property) ? literalBoolean(property.initializer) : "unknown";
    }
  }
  return flag;
}

/** Variables handed over by an argument: `f(x)`, `f([x, y])`, `f({ x })`, `f(...xs)`. */
function escapingIdentifiers(argument: ts.Expression): ts.Identifier[] {
  const inner = skipOuter(ts.isSpreadElement(argument) ? argument.expression : argument);
  if (ts.isIdentifier(inner)) return [inner];
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.flatMap((element) => escapingIdentifiers(element));
  if (ts.isObjectLiteralExpression(inner)) {
    return inner.properties.flatMap((property) =>
      ts.isShorthandPropertyAssignment(property) ? [property.name]
        : ts.isPropertyAssignment(property) ? escapingIdentifiers(property.initializer) : []);
  }
  return [];
}
