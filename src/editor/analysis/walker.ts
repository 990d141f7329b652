/**
 * One abstract-interpretation pass over a TypeScript syntax tree (no type checker, no
 * Program): it follows tensors through variables in source order and records where the
 * program sets `requiresGrad` on, or reads `.grad` of, a tensor it is sure is a non-leaf.
 *
 * Soundness stance — we must never warn on a leaf or an unknown:
 * - branches (if, ?:, &&, switch, try/catch) are walked from copies of the state and joined;
 *   anything that differs becomes "unknown";
 * - a loop body is walked silently to learn which variables it writes, then again,
 *   reporting, with those variables "unknown" (the state at the start of any iteration);
 * - function bodies run later, from anywhere: they are walked after the code that declares
 *   them, with captured variables that are ever written treated as "unknown"; writes a
 *   function makes to captured variables ("foreign writes") invalidate, at the end, any
 *   finding whose reasoning went through that variable (see GradWitness);
 * - only `noGrad`/`enableGrad` callbacks, which run on the spot, are walked inline.
 * Nested function bodies are each walked once; a loop's write set is cached, so a loop
 * inside a loop is probed once and then walked once per walk of the outer one (not 2^depth).
 */
import ts from "typescript";
import { type Binding, type Facts, joinTri, UNKNOWN, VALUE } from "./facts";
import { Env } from "./env";
import { declarationKindOf, patternIdentifiers, SyntaxKind } from "./syntax";
import type { Deferred, WalkResult } from "./walkTypes";
import { CallWalker } from "./callWalker";

export type { Candidate, GradReadCandidate, Reference, RequiresGradCandidate, WalkResult } from "./walkTypes";

export function walkSourceFile(sourceFile: ts.SourceFile): WalkResult {
  return new Walker(sourceFile).run();
}

class Walker extends CallWalker {
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

  private visitStatements(statements: ts.NodeArray<ts.Statement>): void {
    // Hoisting: imports and function declarations are usable before their position.
    for (const statement of statements) {
      if (ts.isImportDeclaration(statement)) this.declareImport(statement);
      else if (ts.isFunctionDeclaration(statement)) {
        if (statement.name) this.declare(statement.name, "function", UNKNOWN);
        if (statement.body) this.defer(statement); // also `export default function () {}`
      }
    }
    for (const statement of statements) this.visitStatement(statement);
  }

  protected visitStatement(node: ts.Statement): void {
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
      case SyntaxKind.ImportDeclaration:
      case SyntaxKind.FunctionDeclaration: // hoisted above
      case SyntaxKind.InterfaceDeclaration:
      case SyntaxKind.TypeAliasDeclaration:
      case SyntaxKind.EmptyStatement:
      case SyntaxKind.BreakStatement:
      case SyntaxKind.ContinueStatement:
      case SyntaxKind.DebuggerStatement:
        return;
      case SyntaxKind.VariableStatement:
        return this.visitDeclarationList((node as ts.VariableStatement).declarationList, node as ts.VariableStatement);
      case SyntaxKind.ExpressionStatement:
        this.evalExpr((node as ts.ExpressionStatement).expression);
        return;
      case SyntaxKind.Block:
        return this.withScope(() => this.visitStatements((node as ts.Block).statements));
      case SyntaxKind.IfStatement: {
        const ifStatement = node as ts.IfStatement;
        this.evalExpr(ifStatement.expression);
        const elseStatement = ifStatement.elseStatement;
        return this.branches([
          () => this.visitNested(ifStatement.thenStatement),
          () => { if (elseStatement) this.visitNested(elseStatement); },
        ]);
      }
      case SyntaxKind.ReturnStatement:
      case SyntaxKind.ThrowStatement: {
        const expression = (node as ts.ReturnStatement | ts.ThrowStatement).expression;
        const facts = expression ? this.evalExpr(expression) : VALUE;
        if (node.kind === SyntaxKind.ReturnStatement) this.returns.at(-1)?.push(facts);
        return;
      }
      case SyntaxKind.ForStatement:
        return this.visitFor(node as ts.ForStatement);
      case SyntaxKind.ForOfStatement:
      case SyntaxKind.ForInStatement:
        return this.visitForOf(node as ts.ForOfStatement | ts.ForInStatement);
      case SyntaxKind.WhileStatement:
      case SyntaxKind.DoStatement: {
        const loop = node as ts.WhileStatement | ts.DoStatement;
        return this.loop(node, () => {
          this.evalExpr(loop.expression);
          this.visitNested(loop.statement);
        });
      }
      case SyntaxKind.TryStatement:
        return this.visitTry(node as ts.TryStatement);
      case SyntaxKind.SwitchStatement:
        return this.visitSwitch(node as ts.SwitchStatement);
      case SyntaxKind.LabeledStatement:
        return this.visitStatement((node as ts.LabeledStatement).statement);
      case SyntaxKind.ClassDeclaration: {
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
    const kind = declarationKindOf(list);
    // `declare const x: T` has a value we cannot see; `let x;` holds undefined until assigned.
    const ambient = statement?.modifiers?.some((modifier) => modifier.kind === SyntaxKind.DeclareKeyword) ?? false;
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
        const kind = declarationKindOf(initializer);
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
    const entry = this.env;
    const entryMode = this.gradMode;
    const writtenInTry = new Set<Binding>();
    this.writeTrackers.push(writtenInTry);
    this.env = entry.child();
    this.visitStatement(node.tryBlock);
    this.writeTrackers.pop();
    const afterTry = this.env;
    const tryMode = this.gradMode;
    // The try block may have stopped anywhere: what it writes is unknown where the throw lands.
    this.env = entry.child();
    this.gradMode = joinTri(entryMode, tryMode);
    this.forgetAll(writtenInTry);
    const catchClause = node.catchClause;
    if (catchClause) {
      this.withScope(() => {
        const variable = catchClause.variableDeclaration;
        if (variable) for (const name of patternIdentifiers(variable.name)) this.declare(name, "catch", UNKNOWN);
        this.visitStatement(catchClause.block);
      });
    }
    const afterCatchOrThrow = this.env;
    entry.joinFrom([afterTry, afterCatchOrThrow]);
    this.env = entry;
    this.gradMode = joinTri(tryMode, this.gradMode);
    if (node.finallyBlock) this.visitStatement(node.finallyBlock);
  }

  private visitSwitch(node: ts.SwitchStatement): void {
    this.evalExpr(node.expression);
    const entry = this.env;
    let mode = this.gradMode;
    const ends: Env[] = [entry.child()]; // no clause matched
    let previousEnd: Env | undefined;
    this.withScope(() => {
      for (const clause of node.caseBlock.clauses) {
        // A clause is entered by matching or by falling through from the previous one.
        this.env = entry.child();
        if (previousEnd) this.env.joinFrom([entry.child(), previousEnd]);
        if (ts.isCaseClause(clause)) this.evalExpr(clause.expression);
        for (const statement of clause.statements) this.visitStatement(statement);
        previousEnd = this.env;
        ends.push(this.env);
        mode = joinTri(mode, this.gradMode);
      }
    });
    entry.joinFrom(ends);
    this.env = entry;
    this.gradMode = mode;
  }

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
