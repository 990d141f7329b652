/**
 * Debug console completions: members after a dot (evaluated without side effects), else
 * the names visible in the paused frame's scopes plus globals.
 */
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { Protocol } from "devtools-protocol";
import type { CdpConnection } from "../cdp/cdpConnection";
import type { ImportBindings } from "../sourceMaps/importBindings";
import { evaluateOnFrame } from "./variableStore";
import { PROPERTY_NAMES } from "./inspectorCalls";

const MAX_ITEMS = 500;

export async function completions(
  cdp: CdpConnection,
  text: string,
  column: number,
  frame: Protocol.Debugger.CallFrame | undefined,
  imports?: ImportBindings,
): Promise<DebugProtocol.CompletionItem[]> {
  const before = text.slice(0, Math.max(0, column - 1));
  const match = /(?:([\w$\])]+(?:\.[\w$]+)*)\.)?([\w$]*)$/.exec(before);
  const objectExpression = match?.[1];
  const prefix = match?.[2] ?? "";
  let names: Array<{ name: string; type: DebugProtocol.CompletionItemType }> = [];
  if (objectExpression) {
    const target = await evaluateQuietly(cdp, objectExpression, frame, false, imports);
    if (target?.objectId) {
      const response = await cdp.send("Runtime.callFunctionOn", { objectId: target.objectId, functionDeclaration: PROPERTY_NAMES, returnByValue: true, silent: true });
      names = ((response.result.value as string[] | undefined) ?? []).map((name) => ({ name, type: "property" }));
    }
  } else {
    for (const scope of frame?.scopeChain ?? []) {
      if (scope.type === "global" || !scope.object.objectId) continue;
      const { result } = await cdp.send("Runtime.getProperties", { objectId: scope.object.objectId, ownProperties: true });
      for (const p of result) {
        if (!imports?.hidden.has(p.name)) names.push({ name: p.name, type: p.value?.type === "function" ? "function" : "variable" });
      }
    }
    for (const name of imports?.expressions.keys() ?? []) names.push({ name, type: "variable" });
    const globals = await evaluateQuietly(cdp, "Object.getOwnPropertyNames(globalThis)", undefined, true);
    for (const name of (globals?.value as string[] | undefined) ?? []) names.push({ name, type: "variable" });
  }
  const seen = new Set<string>();
  const items: DebugProtocol.CompletionItem[] = [];
  for (const { name, type } of names) {
    if (!name.startsWith(prefix) || seen.has(name)) continue;
    seen.add(name);
    items.push({ label: name, type });
    if (items.length >= MAX_ITEMS) break;
  }
  return items;
}

async function evaluateQuietly(
  cdp: CdpConnection,
  expression: string,
  frame: Protocol.Debugger.CallFrame | undefined,
  returnByValue = false,
  imports?: ImportBindings,
): Promise<Protocol.Runtime.RemoteObject | undefined> {
  const options = { expression, throwOnSideEffect: true, silent: true, returnByValue };
  const response = frame
    ? await evaluateOnFrame(cdp, { ...options, callFrameId: frame.callFrameId }, imports).catch(() => undefined)
    : await cdp.send("Runtime.evaluate", options).catch(() => undefined);
  return response && !response.exceptionDetails ? response.result : undefined;
}
