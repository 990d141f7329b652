/**
 * Variables, scopes and evaluation for one pause. Every expandable thing shown in the
 * Variables view gets a handle (a variablesReference) describing how to fetch its
 * children; handles die when the debuggee resumes, like V8's object ids.
 *
 * Plain values go through CDP object access (getProperties); tensors and modules are
 * recognised and described by the engine's inspection surface in one batched call per
 * expansion, so a frame with many tensors costs two round trips, not one per tensor.
 */
import { Handles } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { Protocol } from "devtools-protocol";
import type { CdpConnection } from "../cdp/cdpConnection";
import { missesImport, rewriteExpression, type ImportBindings } from "../sourceMaps/importBindings";
import type { ModuleInfo, TensorInfo } from "../../../engine/debug/inspectTypes";
import {
  ASSIGN_PROPERTY,
  CLASSIFY_VALUES,
  GRAD_FN_NEXT,
  GRAD_FN_SUMMARY,
  MODULE_PARAMETERS,
  TENSOR_DATA_PAGE,
  TENSOR_GRAD,
  TENSOR_GRAD_FN,
  type Classification,
} from "./inspectorCalls";
import { arrayLength, describeRemote, isExpandable } from "./remoteValues";
import { dataValueText, formatShape, gradValueText, indexName, parameterValueText } from "./tensorPresentation";

type RemoteObject = Protocol.Runtime.RemoteObject;

/** What a variablesReference stands for. */
type Ref =
  | {
      kind: "scope";
      objectId: string;
      callFrameId: string;
      scopeNumber: number;
      hideGeneratedNames: boolean;
      thisObject?: RemoteObject;
      imports?: ImportBindings;
    }
  | { kind: "object"; objectId: string; evaluateName?: string; length?: number }
  | { kind: "tensor"; objectId: string; info?: TensorInfo; evaluateName?: string }
  | { kind: "tensorGrad"; tensorObjectId: string; evaluateName?: string }
  | { kind: "tensorGradFn"; tensorObjectId: string; evaluateName?: string }
  | { kind: "gradFn"; objectId: string; evaluateName?: string }
  | { kind: "gradFnNext"; objectId: string; evaluateName?: string }
  | { kind: "tensorData"; objectId: string; info: TensorInfo }
  | { kind: "module"; objectId: string; info: ModuleInfo; evaluateName?: string };

export interface EvaluateResult {
  result: string;
  type?: string;
  variablesReference: number;
  indexedVariables?: number;
  namedVariables?: number;
}

const CJS_WRAPPER_NAMES = ["exports", "require", "module", "__filename", "__dirname"];
/** Arrays longer than this are paged (indexedVariables) instead of listed whole. */
const ARRAY_PAGE_THRESHOLD = 100;
/** Tensors this small get their values inline in the `data` row. */
const INLINE_DATA_LIMIT = 16;
const OBJECT_GROUP = "gradscope-pause";

export class VariableStore {
  private handles = new Handles<Ref>();

  constructor(private readonly cdp: () => CdpConnection | undefined) {}

  /** Scope listings already fetched (or in flight) for this pause, by scope object id. */
  private scopeCache = new Map<string, Promise<DebugProtocol.Variable[]>>();

  /** Forget every handle (the debuggee resumed; V8 object ids are gone). */
  reset(): void {
    this.handles.reset();
    this.scopeCache.clear();
    void this.cdp()?.send("Runtime.releaseObjectGroup", { objectGroup: OBJECT_GROUP }).catch(() => undefined);
  }

  scopes(frame: Protocol.Debugger.CallFrame, hideGeneratedNames: boolean, imports?: ImportBindings): DebugProtocol.Scope[] {
    const hasLocal = frame.scopeChain.some((s) => s.type === "local");
    const scopes: DebugProtocol.Scope[] = [];
    frame.scopeChain.forEach((scope, scopeNumber) => {
      if (!scope.object.objectId) return;
      const name = scopeName(scope.type, hasLocal);
      const isLocal = name === "Local";
      const ref = this.handles.create({
        kind: "scope",
        objectId: scope.object.objectId,
        callFrameId: frame.callFrameId,
        scopeNumber,
        imports,
        hideGeneratedNames: hideGeneratedNames && (scope.type === "local" || scope.type === "module" || scope.type === "closure"),
        // Top-level `this` is module.exports: not something the user wrote.
        thisObject:
          isLocal && scope.type === "local" && frame.functionName !== "" && frame.this.type === "object" && frame.this.subtype !== "null" ? frame.this : undefined,
      });
      scopes.push({
        name,
        variablesReference: ref,
        expensive: scope.type === "global",
        presentationHint: isLocal ? "locals" : undefined,
      });
    });
    return scopes;
  }

  /**
   * Starts fetching the scopes a client shows first (all but Global) right when the
   * program stops, so the Variables view's request finds them ready or in flight.
   */
  prefetch(frame: Protocol.Debugger.CallFrame, hideGeneratedNames: boolean, imports?: ImportBindings): void {
    for (const scope of this.scopes(frame, hideGeneratedNames, imports)) {
      if (scope.expensive) continue;
      void this.variables(scope.variablesReference).catch(() => undefined);
    }
  }

  async variables(reference: number, filter?: "indexed" | "named", start?: number, count?: number): Promise<DebugProtocol.Variable[]> {
    const ref = this.handles.get(reference);
    if (!ref) return [];
    switch (ref.kind) {
      case "scope":
        return this.scopeVariables(ref);
      case "object":
        return this.objectVariables(ref, filter, start, count);
      case "tensor":
        return this.tensorChildren(ref);
      case "tensorGrad":
        return this.tensorChildren({ kind: "tensor", objectId: await this.callForObject(ref.tensorObjectId, TENSOR_GRAD), evaluateName: ref.evaluateName });
      case "tensorGradFn":
        return this.gradFnChildren(await this.callForObject(ref.tensorObjectId, TENSOR_GRAD_FN), ref.evaluateName);
      case "gradFn":
        return this.gradFnChildren(ref.objectId, ref.evaluateName);
      case "gradFnNext":
        return this.gradFnNextChildren(ref);
      case "tensorData":
        return this.tensorDataPage(ref, start ?? 0, count ?? ref.info.numel);
      case "module":
        return this.moduleChildren(ref);
    }
  }

  /** Evaluates in a frame (paused) or globally (running). Hover never has side effects. */
  async evaluate(
    expression: string,
    callFrameId: string | undefined,
    context: string | undefined,
    contextId: number | undefined,
    imports?: ImportBindings,
  ): Promise<EvaluateResult> {
    const cdp = this.requireCdp();
    const sideEffectFree = context === "hover";
    const options = {
      expression,
      objectGroup: OBJECT_GROUP,
      generatePreview: true,
      throwOnSideEffect: sideEffectFree,
      silent: context !== "repl",
      includeCommandLineAPI: context === "repl",
    };
    const response = callFrameId
      ? await evaluateOnFrame(cdp, { ...options, callFrameId }, imports)
      : await cdp.send("Runtime.evaluate", { ...options, contextId, replMode: context === "repl" });
    if (response.exceptionDetails) {
      const description = response.exceptionDetails.exception?.description ?? response.exceptionDetails.text;
      throw new Error(firstLine(description));
    }
    const [variable] = await this.present([{ name: expression, value: response.result, evaluateName: expression }]);
    return {
      result: variable!.value,
      type: variable!.type,
      variablesReference: variable!.variablesReference,
      indexedVariables: variable!.indexedVariables,
      namedVariables: variable!.namedVariables,
    };
  }

  /** Assigns `value` (an expression) to a variable shown under `reference`. */
  async setVariable(reference: number, name: string, value: string, callFrameId: string | undefined, imports?: ImportBindings): Promise<DebugProtocol.Variable> {
    const cdp = this.requireCdp();
    const ref = this.handles.get(reference);
    if (!ref) throw new Error("That variable is no longer available.");
    const newValue = await this.evaluateToArgument(value, callFrameId, imports);
    if (ref.kind === "scope") {
      await cdp.send("Debugger.setVariableValue", { scopeNumber: ref.scopeNumber, variableName: name, newValue: newValue.argument, callFrameId: ref.callFrameId });
      const [variable] = await this.present([{ name, value: newValue.remote, evaluateName: name }]);
      return variable!;
    }
    const target = ref.kind === "tensor" || ref.kind === "object" || ref.kind === "module" ? ref.objectId : undefined;
    if (!target) throw new Error(`'${name}' cannot be set from here.`);
    const result = await cdp.send("Runtime.callFunctionOn", {
      objectId: target,
      functionDeclaration: ASSIGN_PROPERTY,
      arguments: [{ value: name }, newValue.argument],
      objectGroup: OBJECT_GROUP,
      generatePreview: true,
    });
    if (result.exceptionDetails) throw new Error(firstLine(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text));
    const parentName = "evaluateName" in ref ? ref.evaluateName : undefined;
    const [variable] = await this.present([{ name, value: result.result, evaluateName: parentName ? memberExpression(parentName, name) : undefined }]);
    return variable!;
  }

  // ---- children of each kind of handle ----

  private scopeVariables(ref: Extract<Ref, { kind: "scope" }>): Promise<DebugProtocol.Variable[]> {
    let listing = this.scopeCache.get(ref.objectId);
    if (!listing) {
      listing = this.fetchScopeVariables(ref);
      this.scopeCache.set(ref.objectId, listing);
      listing.catch(() => this.scopeCache.delete(ref.objectId));
    }
    return listing;
  }

  private async fetchScopeVariables(ref: Extract<Ref, { kind: "scope" }>): Promise<DebugProtocol.Variable[]> {
    const cdp = this.requireCdp();
    const { result } = await cdp.send("Runtime.getProperties", { objectId: ref.objectId, ownProperties: true, generatePreview: true });
    const entries: PresentEntry[] = [];
    if (ref.thisObject) entries.push({ name: "this", value: ref.thisObject, evaluateName: "this" });
    // The CommonJS module wrapper's parameters: Node's plumbing, not variables the user wrote.
    const isModuleWrapper = ref.hideGeneratedNames && CJS_WRAPPER_NAMES.every((n) => result.some((p) => p.name === n));
    for (const p of result) {
      if (!p.value) continue;
      if (isModuleWrapper && CJS_WRAPPER_NAMES.includes(p.name)) continue;
      if (ref.hideGeneratedNames && ref.imports?.hidden.has(p.name)) continue;
      entries.push({ name: p.name, value: p.value, evaluateName: p.name });
    }
    return this.present(entries);
  }

  private async objectVariables(
    ref: Extract<Ref, { kind: "object" }>,
    filter?: "indexed" | "named",
    start?: number,
    count?: number,
    enumerableOnly = false,
  ): Promise<DebugProtocol.Variable[]> {
    const cdp = this.requireCdp();
    if (ref.length !== undefined && filter === "indexed") {
      const from = start ?? 0;
      const slice = await cdp.send("Runtime.callFunctionOn", {
        objectId: ref.objectId,
        functionDeclaration: "function (start, count) { return Array.prototype.slice.call(this, start, start + count); }",
        arguments: [{ value: from }, { value: count ?? ref.length - from }],
        objectGroup: OBJECT_GROUP,
      });
      if (!slice.result.objectId) return [];
      const { result } = await cdp.send("Runtime.getProperties", { objectId: slice.result.objectId, ownProperties: true, generatePreview: true });
      const entries = result
        .filter((p) => p.value && /^\d+$/.test(p.name))
        .map((p) => {
          const index = from + Number(p.name);
          return { name: String(index), value: p.value!, evaluateName: ref.evaluateName ? `${ref.evaluateName}[${index}]` : undefined };
        });
      return this.present(entries);
    }
    const { result, privateProperties } = await cdp.send("Runtime.getProperties", { objectId: ref.objectId, ownProperties: true, generatePreview: true });
    const entries: PresentEntry[] = [];
    for (const p of result) {
      if (ref.length !== undefined && /^\d+$/.test(p.name)) continue; // paged separately
      if (p.name === "__proto__") {
        if (p.value && p.value.subtype !== "null" && filter !== "indexed") entries.push({ name: "[[Prototype]]", value: p.value });
        continue;
      }
      if (enumerableOnly && !p.enumerable) continue;
      const value = p.value ?? (p.get && p.get.type !== "undefined" ? { type: "string" as const, value: "(getter)" } : undefined);
      if (!value) continue;
      entries.push({ name: p.name, value, evaluateName: ref.evaluateName ? memberExpression(ref.evaluateName, p.name) : undefined });
    }
    for (const p of enumerableOnly ? [] : (privateProperties ?? [])) {
      if (p.value) entries.push({ name: p.name, value: p.value });
    }
    // [[Prototype]] last, as in VS Code's JavaScript debugger.
    entries.sort((a, b) => Number(a.name === "[[Prototype]]") - Number(b.name === "[[Prototype]]"));
    return this.present(entries);
  }

  private async tensorChildren(ref: Extract<Ref, { kind: "tensor" }>): Promise<DebugProtocol.Variable[]> {
    const info = ref.info ?? (await this.classify([ref.objectId]))[0]?.info;
    if (!info || !("numel" in info)) return [];
    const tensor = info as TensorInfo;
    const base = ref.evaluateName;
    const member = (name: string) => (base ? `${base}.${name}` : undefined);
    let preview: number[] | undefined;
    if (tensor.numel <= INLINE_DATA_LIMIT) preview = await this.dataPage(ref.objectId, 0, tensor.numel).catch(() => undefined);
    return [
      { name: "requiresGrad", value: String(tensor.requiresGrad), type: "boolean", variablesReference: 0, evaluateName: member("requiresGrad") },
      { name: "isLeaf", value: String(tensor.isLeaf), type: "boolean", variablesReference: 0, evaluateName: member("isLeaf"), presentationHint: { attributes: ["readOnly"] } },
      {
        name: "grad",
        value: gradValueText(tensor),
        type: tensor.grad ? "Tensor" : "null",
        variablesReference: tensor.grad ? this.handles.create({ kind: "tensorGrad", tensorObjectId: ref.objectId, evaluateName: member("grad") }) : 0,
        evaluateName: member("grad"),
        presentationHint: { attributes: ["readOnly"] },
      },
      {
        name: "gradFn",
        value: tensor.gradFnName ?? "null",
        type: tensor.gradFnName ? "Node" : "null",
        variablesReference: tensor.gradFnName ? this.handles.create({ kind: "tensorGradFn", tensorObjectId: ref.objectId, evaluateName: member("gradFn") }) : 0,
        evaluateName: member("gradFn"),
        presentationHint: { attributes: ["readOnly"] },
      },
      { name: "shape", value: formatShape(tensor.shape), type: "number[]", variablesReference: 0, evaluateName: member("shape"), presentationHint: { attributes: ["readOnly"] } },
      { name: "dtype", value: JSON.stringify(tensor.dtype), type: "string", variablesReference: 0, evaluateName: member("dtype"), presentationHint: { attributes: ["readOnly"] } },
      {
        name: "data",
        value: dataValueText(tensor, preview),
        type: `${tensor.dtype}[]`,
        variablesReference: tensor.numel > 0 ? this.handles.create({ kind: "tensorData", objectId: ref.objectId, info: tensor }) : 0,
        indexedVariables: tensor.numel,
        presentationHint: { attributes: ["readOnly"] },
      },
    ];
  }

  private async tensorDataPage(ref: Extract<Ref, { kind: "tensorData" }>, start: number, count: number): Promise<DebugProtocol.Variable[]> {
    const from = Math.max(0, Math.min(start, ref.info.numel));
    const size = Math.max(0, Math.min(count, ref.info.numel - from));
    const values = await this.dataPage(ref.objectId, from, size);
    return values.map((v, i) => ({ name: indexName(from + i, ref.info.shape), value: String(v), type: ref.info.dtype, variablesReference: 0 }));
  }

  private async gradFnChildren(objectId: string, evaluateName: string | undefined): Promise<DebugProtocol.Variable[]> {
    const summary = await this.callByValue<{ name: string; next: Array<string | null> }>(objectId, GRAD_FN_SUMMARY);
    return [
      { name: "name", value: JSON.stringify(summary.name), type: "string", variablesReference: 0, evaluateName: evaluateName ? `${evaluateName}.name()` : undefined },
      {
        name: "nextFunctions",
        value: `[${summary.next.map((n) => n ?? "null").join(", ")}]`,
        type: "Node[]",
        variablesReference: summary.next.length > 0 ? this.handles.create({ kind: "gradFnNext", objectId, evaluateName }) : 0,
        evaluateName: evaluateName ? `${evaluateName}.nextFunctions` : undefined,
      },
    ];
  }

  private async gradFnNextChildren(ref: Extract<Ref, { kind: "gradFnNext" }>): Promise<DebugProtocol.Variable[]> {
    const arrayId = await this.callForObject(ref.objectId, GRAD_FN_NEXT);
    const { result } = await this.requireCdp().send("Runtime.getProperties", { objectId: arrayId, ownProperties: true });
    const items = result.filter((p) => /^\d+$/.test(p.name) && p.value);
    const variables: DebugProtocol.Variable[] = [];
    for (const item of items) {
      const fn = item.value!;
      if (!fn.objectId) {
        variables.push({ name: `[${item.name}]`, value: "null", variablesReference: 0 });
        continue;
      }
      const summary = await this.callByValue<{ name: string; next: Array<string | null> }>(fn.objectId, GRAD_FN_SUMMARY);
      variables.push({
        name: `[${item.name}]`,
        value: summary.name,
        type: "Node",
        variablesReference: this.handles.create({ kind: "gradFn", objectId: fn.objectId }),
      });
    }
    return variables;
  }

  private async moduleChildren(ref: Extract<Ref, { kind: "module" }>): Promise<DebugProtocol.Variable[]> {
    const variables: DebugProtocol.Variable[] = [];
    const paramsObject = await this.callForObject(ref.objectId, MODULE_PARAMETERS).catch(() => undefined);
    const byName = new Map(ref.info.parameters.map((p) => [p.name, p]));
    const parameterIds = new Set<string>();
    if (paramsObject) {
      const { result } = await this.requireCdp().send("Runtime.getProperties", { objectId: paramsObject, ownProperties: true });
      for (const p of result) {
        const param = byName.get(p.name);
        if (!param || !p.value?.objectId) continue;
        parameterIds.add(p.name);
        variables.push({
          name: p.name,
          value: parameterValueText(param),
          type: param.frozen ? "Parameter (frozen)" : "Parameter",
          variablesReference: this.handles.create({ kind: "tensor", objectId: p.value.objectId, evaluateName: ref.evaluateName ? parameterExpression(ref.evaluateName, p.name) : undefined }),
          evaluateName: ref.evaluateName ? parameterExpression(ref.evaluateName, p.name) : undefined,
          presentationHint: { kind: "property", attributes: param.frozen ? ["readOnly"] : undefined },
        });
      }
    }
    // Then the module's own properties (training flag, submodules…) minus the parameters just shown.
    // Enumerable only: the engine keeps a module's bookkeeping in non-enumerable fields.
    const own = await this.objectVariables({ kind: "object", objectId: ref.objectId, evaluateName: ref.evaluateName }, undefined, undefined, undefined, true);
    for (const v of own) {
      if (parameterIds.has(v.name) || v.type === "Parameter") continue;
      variables.push(v);
    }
    return variables;
  }

  // ---- turning remote values into DAP variables ----

  private async present(entries: PresentEntry[]): Promise<DebugProtocol.Variable[]> {
    const candidates = entries.filter((e) => e.value.type === "object" && e.value.objectId && e.value.subtype === undefined);
    const classes = candidates.length > 0 ? await this.classify(candidates.map((e) => e.value.objectId!)) : [];
    const classOf = new Map<PresentEntry, Classification>();
    candidates.forEach((entry, i) => classOf.set(entry, classes[i] ?? null));
    return entries.map((entry) => this.toVariable(entry, classOf.get(entry) ?? null));
  }

  private toVariable(entry: PresentEntry, classification: Classification): DebugProtocol.Variable {
    const { name, value, evaluateName } = entry;
    if (classification?.kind === "tensor") {
      const info = classification.info;
      return {
        name,
        value: info.description,
        type: info.isParameter ? "Parameter" : "Tensor",
        variablesReference: this.handles.create({ kind: "tensor", objectId: value.objectId!, info, evaluateName }),
        namedVariables: 7,
        evaluateName,
      };
    }
    if (classification?.kind === "module") {
      return {
        name,
        value: classification.info.description,
        type: classification.info.className,
        variablesReference: this.handles.create({ kind: "module", objectId: value.objectId!, info: classification.info, evaluateName }),
        evaluateName,
      };
    }
    const length = arrayLength(value);
    const paged = length !== undefined && length > ARRAY_PAGE_THRESHOLD;
    return {
      name,
      value: describeRemote(value),
      type: value.className ?? value.subtype ?? value.type,
      variablesReference: isExpandable(value) ? this.handles.create({ kind: "object", objectId: value.objectId!, evaluateName, length: paged ? length : undefined }) : 0,
      indexedVariables: paged ? length : undefined,
      evaluateName,
    };
  }

  /** One round trip: which of these objects are tensors or modules, with their info. */
  private async classify(objectIds: string[]): Promise<Classification[]> {
    const cdp = this.requireCdp();
    const response = await cdp
      .send("Runtime.callFunctionOn", {
        objectId: objectIds[0]!,
        functionDeclaration: CLASSIFY_VALUES,
        arguments: objectIds.map((objectId) => ({ objectId })),
        returnByValue: true,
        silent: true,
      })
      .catch(() => undefined);
    const value = response?.result.value as Classification[] | null | undefined;
    return Array.isArray(value) ? value : objectIds.map(() => null);
  }

  private async dataPage(objectId: string, start: number, count: number): Promise<number[]> {
    return this.callByValue<number[]>(objectId, TENSOR_DATA_PAGE, [start, count]);
  }

  private async callByValue<T>(objectId: string, functionDeclaration: string, args: unknown[] = []): Promise<T> {
    const response = await this.requireCdp().send("Runtime.callFunctionOn", {
      objectId,
      functionDeclaration,
      arguments: args.map((value) => ({ value })),
      returnByValue: true,
      silent: true,
    });
    if (response.exceptionDetails) throw new Error(firstLine(response.exceptionDetails.exception?.description ?? response.exceptionDetails.text));
    return response.result.value as T;
  }

  private async callForObject(objectId: string, functionDeclaration: string): Promise<string> {
    const response = await this.requireCdp().send("Runtime.callFunctionOn", { objectId, functionDeclaration, objectGroup: OBJECT_GROUP, silent: true });
    if (response.exceptionDetails || !response.result.objectId) throw new Error(firstLine(response.exceptionDetails?.exception?.description ?? "not available"));
    return response.result.objectId;
  }

  private async evaluateToArgument(
    expression: string,
    callFrameId: string | undefined,
    imports?: ImportBindings,
  ): Promise<{ argument: Protocol.Runtime.CallArgument; remote: RemoteObject }> {
    const cdp = this.requireCdp();
    const response = callFrameId
      ? await evaluateOnFrame(cdp, { callFrameId, expression, objectGroup: OBJECT_GROUP, silent: true }, imports)
      : await cdp.send("Runtime.evaluate", { expression, objectGroup: OBJECT_GROUP, silent: true });
    if (response.exceptionDetails) throw new Error(firstLine(response.exceptionDetails.exception?.description ?? response.exceptionDetails.text));
    const remote = response.result;
    const argument: Protocol.Runtime.CallArgument = remote.objectId
      ? { objectId: remote.objectId }
      : remote.unserializableValue
        ? { unserializableValue: remote.unserializableValue }
        : { value: remote.value };
    return { argument, remote };
  }

  private requireCdp(): CdpConnection {
    const cdp = this.cdp();
    if (!cdp || cdp.isClosed) throw new Error("The debuggee is not running.");
    return cdp;
  }
}

/** Evaluates in a paused frame; an imported name V8 can't see is tried again as sucrase rewrote it. */
export async function evaluateOnFrame(
  cdp: CdpConnection,
  params: Protocol.Debugger.EvaluateOnCallFrameRequest,
  imports: ImportBindings | undefined,
): Promise<Protocol.Debugger.EvaluateOnCallFrameResponse> {
  const response = await cdp.send("Debugger.evaluateOnCallFrame", params);
  if (!missesImport(response.exceptionDetails?.exception?.description, imports)) return response;
  return cdp.send("Debugger.evaluateOnCallFrame", { ...params, expression: rewriteExpression(params.expression, imports) });
}

interface PresentEntry {
  name: string;
  value: RemoteObject;
  evaluateName?: string;
}

function scopeName(type: Protocol.Debugger.Scope["type"], hasLocal: boolean): string {
  switch (type) {
    case "local":
      return "Local";
    case "module":
      // Top-level code of an ES module: its variables are the user's locals.
      return hasLocal ? "Module" : "Local";
    case "closure":
      return "Closure";
    case "global":
      return "Global";
    case "block":
      return "Block";
    case "catch":
      return "Catch";
    case "script":
      return "Script";
    default:
      return type[0]!.toUpperCase() + type.slice(1);
  }
}

function memberExpression(parent: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${parent}.${name}` : `${parent}[${JSON.stringify(name)}]`;
}

/** `fc1.weight` -> `model.fc1.weight`; numeric parts (Sequential) can't be dotted. */
function parameterExpression(moduleExpression: string, qualifiedName: string): string | undefined {
  return qualifiedName.split(".").every((part) => /^[A-Za-z_$][\w$]*$/.test(part)) ? `${moduleExpression}.${qualifiedName}` : undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
