/** Small, allocation-free helpers over TypeScript syntax nodes. */
import ts from "typescript";

/** `(x)`, `x as T`, `x!`, `x satisfies T`, `<T>x` all evaluate to `x`. */
export function skipOuter(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) ||
      ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

/** A boolean literal's value, or "unknown" for anything computed. */
export function literalBoolean(node: ts.Expression | undefined): "true" | "false" | "unknown" {
  if (!node) return "unknown";
  const inner = skipOuter(node);
  if (inner.kind === ts.SyntaxKind.TrueKeyword) return "true";
  if (inner.kind === ts.SyntaxKind.FalseKeyword) return "false";
  return "unknown";
}

/** `requiresGrad_()` defaults its flag to true, like PyTorch's `requires_grad_()`. */
export function requiresGradMethodFlag(call: ts.CallExpression): "true" | "false" | "unknown" {
  return call.arguments.length === 0 ? "true" : literalBoolean(call.arguments[0]);
}

export function isCompoundAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstCompoundAssignment && kind <= ts.SyntaxKind.LastCompoundAssignment;
}

export function isLiteralValue(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.BigIntLiteral:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.RegularExpressionLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return true;
    default:
      return false;
  }
}

/** Every identifier a destructuring pattern (or plain name) declares or assigns. */
export function patternIdentifiers(node: ts.Node, into: ts.Identifier[] = []): ts.Identifier[] {
  if (ts.isIdentifier(node)) {
    into.push(node);
  } else if (ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) {
    for (const element of node.elements) if (ts.isBindingElement(element)) patternIdentifiers(element.name, into);
  } else if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements) patternIdentifiers(ts.isSpreadElement(element) ? element.expression : element, into);
  } else if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (ts.isShorthandPropertyAssignment(property)) into.push(property.name);
      else if (ts.isPropertyAssignment(property)) patternIdentifiers(property.initializer, into);
      else if (ts.isSpreadAssignment(property)) patternIdentifiers(property.expression, into);
    }
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    patternIdentifiers(node.left, into); // a default value: `[a = 1] = xs`
  } else if (ts.isParenthesizedExpression(node)) {
    patternIdentifiers(node.expression, into);
  }
  return into;
}
