/** Calls: tensor methods, module calls, and the "gradscope" functions and constructors. */
import ts from "typescript";
import { type Binding, type Facts, type ModuleFacts, type TensorFacts, type Tri, joinFacts, SELF_EVIDENT, triOfFlag, UNKNOWN, VALUE } from "./facts";
import {
  DIFFERENTIABLE_FUNCTIONS, DIFFERENTIABLE_METHODS, FACTORIES, HARMLESS_GLOBAL_RECEIVERS, IN_PLACE_METHODS, INTEGER_FACTORIES,
  MODULES_WITH_PARAMETERS, MODULES_WITHOUT_PARAMETERS, NON_DIFFERENTIABLE_FUNCTIONS, NON_DIFFERENTIABLE_METHODS,
  TENSOR_ONLY_WITHOUT_ARGUMENTS,
} from "./gradscopeApi";
import { literalBoolean, patternIdentifiers, requiresGradMethodFlag, skipOuter, escapingIdentifiers } from "./syntax";
import { leafWithoutGrad, opResult, inPlaceResult, withLeafFlag, requiresGradOption, isInt64Literal } from "./tensorResults";
import { ExpressionWalker } from "./expressionWalker";

export abstract class CallWalker extends ExpressionWalker {
  protected evalCall(node: ts.CallExpression | ts.NewExpression): Facts {
    const callee = skipOuter(node.expression);
    /** The global (`console`, `Math`…) whose functions leave flags alone, if the call is on one. */
    let global: ts.Expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const receiver = this.evalExpr(callee.expression);
      const name = callee.name.text;
      if (receiver.kind === "gradscope") return this.callGradscope(receiver.path ? `${receiver.path}.${name}` : name, callee.name, node);
      if (ts.isCallExpression(node)) {
        if (receiver.kind === "tensor") return this.callTensorMethod(receiver, name, callee, node);
        if (receiver.kind === "module") return this.callModuleMethod(receiver, name, callee, node);
        if (name === "requiresGrad_" && requiresGradMethodFlag(node) !== "true") this.freezingSeen = true;
      }
      global = skipOuter(callee.expression);
    } else {
      const calleeFacts = this.evalExpr(callee);
      if (calleeFacts.kind === "gradscope") return this.callGradscope(calleeFacts.path, callee, node);
      global = callee;
    }
    const harmless = ts.isIdentifier(global) && !this.lookup(global.text) && HARMLESS_GLOBAL_RECEIVERS.has(global.text);
    this.evalArgumentsOfUnknownCall(node, !harmless);
    return UNKNOWN;
  }

  /**
   * A function we cannot see may flip the flags of the tensors and modules it is given
   * (`freeze(model)`, `p.requiresGrad_(false)`), so afterwards we only keep what cannot
   * change that way: a non-leaf stays a non-leaf.
   */
  protected evalArgumentsOfUnknownCall(node: ts.CallExpression | ts.NewExpression, mayChangeFlags: boolean): void {
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

  protected evalArguments(node: ts.CallExpression | ts.NewExpression): Facts[] {
    return (node.arguments ?? []).map((argument) => this.evalExpr(argument));
  }

  /** Inputs of an op: arguments, with array literals (`cat([a, b])`) spread into their elements. */
  protected evalInputs(node: ts.CallExpression | ts.NewExpression): Facts[] {
    const inputs: Facts[] = [];
    for (const argument of node.arguments ?? []) {
      const inner = skipOuter(argument);
      if (ts.isArrayLiteralExpression(inner)) for (const element of inner.elements) inputs.push(this.evalExpr(element));
      else if (ts.isObjectLiteralExpression(inner)) { this.evalObjectLiteral(inner); inputs.push(VALUE); } // options
      else inputs.push(this.evalExpr(argument));
    }
    return inputs;
  }

  protected callTensorMethod(receiver: TensorFacts, name: string, callee: ts.PropertyAccessExpression, node: ts.CallExpression): Facts {
    const subject = this.subjectOf(callee.expression);
    switch (name) {
      case "detach":
        return leafWithoutGrad("detach()", callee.name, node);
      case "requiresGrad_":
        return this.callRequiresGradMethod(receiver, subject, node);
      case "retainGrad":
        this.evalArguments(node);
        if (subject && receiver.leaf !== "yes") this.assign(subject, { ...receiver, retainsGrad: "yes" });
        return VALUE;
      case "detach_": {
        const detached: TensorFacts = { ...leafWithoutGrad("detach_()", callee.name, node), origin: receiver.origin };
        if (subject) this.assign(subject, detached);
        return detached;
      }
    }
    if (IN_PLACE_METHODS.has(name)) {
      const inputs = this.evalInputs(node);
      const after = inPlaceResult(this.gradMode, receiver, name, callee.name, node, inputs);
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
      if (toInteger) return leafWithoutGrad(name, callee.name, node);
      return opResult(this.gradMode, name, callee.name, node, [receiver, ...inputs]);
    }
    if (NON_DIFFERENTIABLE_METHODS.has(name)) {
      this.evalInputs(node);
      return leafWithoutGrad(name, callee.name, node);
    }
    if (name === "registerHook") {
      this.evalArguments(node);
      return UNKNOWN;
    }
    // item(), numel(), tolist(), backward(), toString()…: not tensors, and they leave flags alone.
    this.evalArguments(node);
    return name === "backward" ? VALUE : UNKNOWN;
  }

  protected callRequiresGradMethod(receiver: TensorFacts, subject: Binding | undefined, node: ts.CallExpression): Facts {
    this.evalArguments(node);
    const value = requiresGradMethodFlag(node);
    if (receiver.leaf === "no") {
      // requiresGrad_(true) on a non-leaf is allowed (a no-op); only false throws.
      if (value === "false" && subject) {
        const statement = this.wholeStatement(node);
        this.report({ code: "nonLeafRequiresGrad", subject, subjectFacts: receiver, flagged: node, form: "method", value, statement, call: node });
      }
      return receiver;
    }
    let after: TensorFacts;
    if (value === "false") after = withLeafFlag(receiver, "false");
    else if (value === "true") after = { ...receiver, requiresGrad: "yes", witness: receiver.witness ?? SELF_EVIDENT };
    else after = { ...receiver, requiresGrad: "unknown", witness: null };
    if (subject) this.assign(subject, after);
    return after;
  }

  protected callModuleMethod(receiver: ModuleFacts, name: string, callee: ts.PropertyAccessExpression, node: ts.CallExpression): Facts {
    const subject = this.subjectOf(callee.expression);
    if (name === "call" || name === "forward") {
      const inputs = this.evalInputs(node);
      const parameters: Facts = receiver.hasGradParameters === "yes"
        ? { ...leafWithoutGrad("parameters", callee.name, node), requiresGrad: "yes", witness: { binding: subject ?? null, fromModuleParameters: true, parents: [] } }
        : receiver.hasGradParameters === "no" ? VALUE : UNKNOWN;
      const label = `${callee.expression.getText(this.sourceFile)}.${name}`;
      return opResult(this.gradMode, label, callee.name, node, [...inputs, parameters], "module");
    }
    this.evalArguments(node);
    if (name === "requiresGrad_") {
      const value = requiresGradMethodFlag(node);
      if (value !== "true") this.freezingSeen = true;
      if (subject) this.assign(subject, { ...receiver, hasGradParameters: triOfFlag(value) });
    }
    return UNKNOWN;
  }

  protected callGradscope(path: string, nameNode: ts.Node, node: ts.CallExpression | ts.NewExpression): Facts {
    const lastDot = path.lastIndexOf(".");
    const namespace = lastDot < 0 ? "" : path.slice(0, lastDot);
    const name = path.slice(lastDot + 1);
    if (namespace === "" && (name === "noGrad" || name === "enableGrad")) return this.callGradModeCallback(name === "noGrad" ? "no" : "yes", node);
    if (namespace === "" && name === "setGradEnabled") {
      this.evalArguments(node);
      const flag = literalBoolean(node.arguments?.[0]);
      this.gradMode = triOfFlag(flag);
      if (this.inDeferredFunction) this.gradModeChangedInFunction = true;
      return VALUE;
    }
    if (namespace === "" && FACTORIES.has(name)) return this.factoryResult(name, nameNode, node);
    if (namespace === "" && INTEGER_FACTORIES.has(name)) {
      this.evalArguments(node);
      return leafWithoutGrad(`${name}(...)`, nameNode, node, "factory");
    }
    if (namespace === "nn" && name === "Parameter") {
      const args = this.evalArguments(node);
      const flag = args.length < 2 ? "true" : literalBoolean(node.arguments?.[1]);
      const requiresGrad = triOfFlag(flag);
      return {
        kind: "tensor", leaf: "yes", requiresGrad, retainsGrad: "no",
        origin: { label: "nn.Parameter(...)", how: "parameter", at: nameNode, expression: node },
        witness: requiresGrad === "yes" ? SELF_EVIDENT : null,
      };
    }
    if (namespace === "nn") return this.moduleConstruction(name, node);
    if ((namespace === "" || namespace === "nn.functional") && DIFFERENTIABLE_FUNCTIONS.has(name)) {
      return opResult(this.gradMode, name, nameNode, node, this.evalInputs(node));
    }
    if (namespace === "" && NON_DIFFERENTIABLE_FUNCTIONS.has(name)) {
      this.evalInputs(node);
      return leafWithoutGrad(name, nameNode, node);
    }
    this.evalArguments(node); // optim.SGD, autograd.grad, manualSeed…: they never flip flags
    return name === "manualSeed" ? VALUE : UNKNOWN;
  }

  protected moduleConstruction(name: string, node: ts.CallExpression | ts.NewExpression): Facts {
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
  protected callGradModeCallback(mode: Tri, node: ts.CallExpression | ts.NewExpression): Facts {
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

  protected factoryResult(name: string, nameNode: ts.Node, node: ts.CallExpression | ts.NewExpression): TensorFacts {
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
    const requiresGrad = triOfFlag(flag);
    return {
      kind: "tensor", leaf: "yes", requiresGrad, retainsGrad: "no",
      origin: { label: `${name}(...)`, how: "factory", at: nameNode, expression: node, note: flag === "true" ? "requiresGrad: true" : undefined },
      witness: requiresGrad === "yes" ? SELF_EVIDENT : null,
    };
  }
}
