/** Small, allocation-free helpers over TypeScript syntax nodes. */
import ts from "typescript";

// TypeScript exports its API through getters: read the enum once, not on every switch case.
export const SyntaxKind = ts.SyntaxKind;

/** `(x)`, `x as T`, `x!`, `x satisfies T`, `<T>x` all evaluate to `x`. */
export function skipOuter(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    switch (current.kind) {
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        continue;
      default:
        return current;
    }
  }
}

/** A boolean literal's value, or "unknown" for anything computed. */
export function literalBoolean(node: ts.Expression | undefined): "true" | "false" | "unknown" {
  if (!node) return "unknown";
  const inner = skipOuter(node);
  if (inner.kind === SyntaxKind.TrueKeyword) return "true";
  if (inner.kind === SyntaxKind.FalseKeyword) return "false";
  return "unknown";
}

/** `requiresGrad_()` defaults its flag to true, like PyTorch's `requires_grad_()`. */
export function requiresGradMethodFlag(call: ts.CallExpression): "true" | "false" | "unknown" {
  return call.arguments.length === 0 ? "true" : literalBoolean(call.arguments[0]);
}

export function declarationKindOf(list: ts.VariableDeclarationList): "const" | "let" | "var" {
  return list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
}

export function isCompoundAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstCompoundAssignment && kind <= SyntaxKind.LastCompoundAssignment;
}

export function isLiteralValue(node: ts.Node): boolean {
  switch (node.kind) {
    case SyntaxKind.NumericLiteral:
    case SyntaxKind.BigIntLiteral:
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
    case SyntaxKind.RegularExpressionLiteral:
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.NullKeyword:
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
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
    patternIdentifiers(node.left, into); // a default value: `[a = 1] = xs`
  } else if (ts.isParenthesizedExpression(node)) {
    patternIdentifiers(node.expression, into);
  }
  return into;
}

export function isExpressionLike(node: ts.Node): boolean {
  return ts.isExpression(node) || ts.isSpreadElement(node);
}

/** Variables handed over by an argument: `f(x)`, `f([x, y])`, `f({ x })`, `f(...xs)`. */
export function escapingIdentifiers(argument: ts.Expression): ts.Identifier[] {
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
