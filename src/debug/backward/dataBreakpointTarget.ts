/**
 * dataBreakpointInfo: which tensor's gradient a Variables-view entry stands for. Works from
 * the entry's evaluateName: a tensor (`w`) or its `grad` child (`w.grad`) both watch `w.grad`.
 */
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { CdpConnection } from "../cdp/cdpConnection";
import { TENSOR_ID } from "./engineCalls";
import { gradDataId } from "./dataBreakpoints";

export interface VariableLister {
  variables(reference: number): Promise<DebugProtocol.Variable[]>;
}

export interface DataBreakpointTarget {
  dataId: string | null;
  description: string;
  tensorId?: number;
}

const OBJECT_GROUP = "gradscope-data-breakpoint";

export async function dataBreakpointTarget(
  args: DebugProtocol.DataBreakpointInfoArguments,
  lister: VariableLister,
  cdp: CdpConnection | undefined,
  callFrameId: string | undefined,
): Promise<DataBreakpointTarget> {
  const unsupported = (why: string): DataBreakpointTarget => ({ dataId: null, description: why });
  if (!cdp || cdp.isClosed) return unsupported("The program is not running.");
  let expression: string | undefined;
  if (args.variablesReference !== undefined) {
    const entry = (await lister.variables(args.variablesReference).catch(() => [])).find((v) => v.name === args.name);
    const evaluateName = entry?.evaluateName;
    if (evaluateName && args.name === "grad" && evaluateName.endsWith(".grad")) expression = evaluateName.slice(0, -".grad".length);
    else if (evaluateName && (entry?.type === "Tensor" || entry?.type === "Parameter")) expression = evaluateName;
  } else {
    expression = args.name.replace(/\.grad$/, "");
  }
  if (!expression) return unsupported("Data breakpoints watch a tensor's grad: pick a tensor or its grad.");
  const evaluated = callFrameId
    ? await cdp.send("Debugger.evaluateOnCallFrame", { callFrameId, expression, objectGroup: OBJECT_GROUP, silent: true, throwOnSideEffect: true })
    : await cdp.send("Runtime.evaluate", { expression, objectGroup: OBJECT_GROUP, silent: true, throwOnSideEffect: true });
  try {
    if (evaluated.exceptionDetails || !evaluated.result.objectId) return unsupported(`'${expression}' is not available here.`);
    const response = await cdp.send("Runtime.callFunctionOn", { objectId: evaluated.result.objectId, functionDeclaration: TENSOR_ID, returnByValue: true, silent: true });
    const tensorId = response.result.value as number | null;
    if (typeof tensorId !== "number") return unsupported(`'${expression}' is not a tensor.`);
    return { dataId: gradDataId(tensorId), description: `${expression}.grad`, tensorId };
  } finally {
    void cdp.send("Runtime.releaseObjectGroup", { objectGroup: OBJECT_GROUP }).catch(() => undefined);
  }
}
