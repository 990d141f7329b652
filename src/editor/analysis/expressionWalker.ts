/** Expressions: reading variables, assignments, `x.requiresGrad = …`, `x.grad` and other property reads. */
import ts from "typescript";
import { type Facts, type GradWitness, type TensorFacts, joinFacts, UNKNOWN, VALUE } from "./facts";
import { DIFFERENTIABLE_GETTERS } from "./gradscopeApi";
import { isCompoundAssignment, isLiteralValue, literalBoolean, patternIdentifiers, skipOuter, SyntaxKind } from "./syntax";
import { leafWithoutGrad, opResult, withLeafFlag } from "./tensorResults";
import type { FunctionLiteral } from "./walkTypes";
import { WalkerBase } from "./walkerBase";

export abstract class ExpressionWalker extends WalkerBase {
  protected abstract evalCall(node: ts.CallExpression | ts.NewExpression): Facts;

  protected evalExpr(node: ts.Expression): Facts {
    switch (node.kind) {
      case SyntaxKind.Identifier:
        return this.readIdentifier(node as ts.Identifier);
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
        return this.evalExpr((node as ts.ParenthesizedExpression).expression);
      case SyntaxKind.BinaryExpression:
        return this.evalBinary(node as ts.BinaryExpression);
      case SyntaxKind.ConditionalExpression: {
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
      case SyntaxKind.CallExpression:
        return this.evalCall(node as ts.CallExpression);
      case SyntaxKind.NewExpression:
        return this.evalCall(node as ts.NewExpression);
      case SyntaxKind.PropertyAccessExpression:
        return this.evalPropertyAccess(node as ts.PropertyAccessExpression);
      case SyntaxKind.ArrowFunction:
      case SyntaxKind.FunctionExpression:
      case SyntaxKind.ClassExpression:
        this.defer(node as FunctionLiteral | ts.ClassExpression);
        return UNKNOWN;
      case SyntaxKind.ArrayLiteralExpression: {
        const elements = (node as ts.ArrayLiteralExpression).elements.map((element) => this.evalExpr(element));
        return elements.every((facts) => facts.kind === "value") ? VALUE : UNKNOWN;
      }
      case SyntaxKind.ObjectLiteralExpression:
        this.evalObjectLiteral(node as ts.ObjectLiteralExpression);
        return UNKNOWN; // may be an options object carrying `requiresGrad`
      case SyntaxKind.PrefixUnaryExpression:
      case SyntaxKind.PostfixUnaryExpression: {
        const unary = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        this.evalExpr(unary.operand);
        const operand = skipOuter(unary.operand);
        const isUpdate = unary.operator === SyntaxKind.PlusPlusToken || unary.operator === SyntaxKind.MinusMinusToken;
        if (isUpdate && ts.isIdentifier(operand)) {
          const binding = this.lookup(operand.text);
          if (binding) this.assign(binding, VALUE);
        }
        return VALUE;
      }
      case SyntaxKind.TemplateExpression:
      case SyntaxKind.TypeOfExpression:
      case SyntaxKind.VoidExpression:
      case SyntaxKind.DeleteExpression:
        this.visitChildren(node);
        return VALUE;
      default:
        if (isLiteralValue(node)) return VALUE;
        this.visitChildren(node);
        return UNKNOWN;
    }
  }

  protected evalObjectLiteral(node: ts.ObjectLiteralExpression): void {
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

  protected readIdentifier(node: ts.Identifier): Facts {
    const binding = this.lookup(node.text);
    if (!binding) return UNKNOWN;
    const facts = this.factsOf(binding);
    this.recordReference(node, binding, facts);
    if (facts.kind !== "tensor") return facts;
    // Link the chain "requires grad" through this variable, and name it for messages.
    // Facts are immutable, so the linked view is made once per (facts, variable).
    const cached = this.readViews.get(facts);
    if (cached && cached.binding === binding) return cached.view;
    const witness: GradWitness | null = facts.witness ? { binding, fromModuleParameters: false, parents: [facts.witness] } : null;
    const view: TensorFacts = { ...facts, witness, gradFromName: binding.name };
    this.readViews.set(facts, { binding, view });
    return view;
  }

  protected evalBinary(node: ts.BinaryExpression): Facts {
    const operator = node.operatorToken.kind;
    if (operator === SyntaxKind.EqualsToken) return this.evalAssignment(node);
    if (isCompoundAssignment(operator)) {
      const left = skipOuter(node.left);
      const before = this.evalExpr(left);
      const right = this.evalExpr(node.right);
      const binding = ts.isIdentifier(left) ? this.lookup(left.text) : undefined;
      const result = before.kind === "value" && right.kind === "value" ? VALUE : UNKNOWN;
      if (binding) this.assign(binding, result);
      return result;
    }
    if (operator === SyntaxKind.AmpersandAmpersandToken || operator === SyntaxKind.BarBarToken ||
      operator === SyntaxKind.QuestionQuestionToken) {
      const left = this.evalExpr(node.left);
      let right: Facts = UNKNOWN;
      this.branches([() => { right = this.evalExpr(node.right); }, () => {}]);
      return joinFacts(left, right);
    }
    if (operator === SyntaxKind.CommaToken) {
      this.evalExpr(node.left);
      return this.evalExpr(node.right);
    }
    // Arithmetic, comparison, instanceof, in: never a tensor.
    this.evalExpr(node.left);
    this.evalExpr(node.right);
    return VALUE;
  }

  protected evalAssignment(node: ts.BinaryExpression): Facts {
    const left = skipOuter(node.left);
    if (ts.isIdentifier(left)) {
      const binding = this.lookup(left.text);
      const statement = this.wholeStatement(node);
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

  protected assignPattern(pattern: ts.Node, facts: Facts): void {
    for (const name of patternIdentifiers(pattern)) {
      const binding = this.lookup(name.text);
      if (binding) this.assign(binding, facts);
    }
  }

  /** `x.requiresGrad = value`: an error on a non-leaf; on anything else it makes x a leaf with that flag. */
  protected setRequiresGrad(access: ts.PropertyAccessExpression, target: Facts, assignment: ts.BinaryExpression): void {
    const value = literalBoolean(assignment.right);
    const subject = this.subjectOf(access.expression);
    if (target.kind !== "tensor") {
      if (value !== "true") this.freezingSeen = true;
      return;
    }
    if (target.leaf === "no") {
      const statement = this.wholeStatement(assignment);
      if (subject) this.report({ code: "nonLeafRequiresGrad", subject, subjectFacts: target, flagged: access, form: "setter", value, statement, call: undefined });
      return; // it throws: nothing after it runs with changed flags
    }
    if (subject) this.assign(subject, withLeafFlag(target, value));
  }

  protected evalPropertyAccess(node: ts.PropertyAccessExpression): Facts {
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
    if (name === "data") return leafWithoutGrad("data", node.name, node);
    if (DIFFERENTIABLE_GETTERS.has(name)) return opResult(this.gradMode, name, node.name, node, [target]);
    return VALUE; // shape, dtype, isLeaf, requiresGrad, version…
  }
}
