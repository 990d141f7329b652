/**
 * Serves the custom DAP request `gradscope.graph`: the backward graph reachable from the
 * tensors and modules in scope of a frame (or from one expression), named with the user's
 * variable names, plus the state of a backward pass in progress. One round trip to the
 * debuggee: the engine walks the graph and answers with JSON text.
 * Also numbers the graph's generations for the `gradscope.graphChanged` event.
 */
import type { Protocol } from "devtools-protocol";
import { NO_BACKWARD_PASS, type RawBackwardState, type RawGraphWire } from "../../../engine/debug/inspectTypes";
import type { CompactGraphSnapshot } from "../../protocol/compactSnapshot";
import type { GraphChangedEventBody, GraphRequestArguments } from "../../protocol/graphSnapshot";
import { BACKWARD_STATE, GRAPH_OF_SCOPES, GRAPH_OF_VALUE, callByValue, scopeArguments } from "../backward/engineCalls";
import type { DebuggeeRuntime } from "../runtime/debuggeeRuntime";
import { emptyCompact, wireToCompact } from "./snapshotMapper";

const DEFAULT_LIMIT = 5000;
const OBJECT_GROUP = "gradscope-graph";

export class GraphService {
  private generation = 0;
  /** The last graph taken at a pause: what a request gets while the program runs. */
  private lastPaused: RawGraphWire | null = null;

  /** A new generation (the graph may have changed), as the event body announcing it. */
  changed(reason: GraphChangedEventBody["reason"]): GraphChangedEventBody {
    if (reason === "terminated") this.lastPaused = null;
    return { generation: ++this.generation, reason };
  }

  /**
   * `frame`: the V8 frame whose scopes root the graph (the top user frame by default);
   * undefined while the program runs: then an expression is evaluated globally, and a plain
   * request gets the graph of the last pause (the panel keeps showing it, not a blank) with
   * the current backward state.
   */
  async snapshot(runtime: DebuggeeRuntime | undefined, args: GraphRequestArguments, frame: Protocol.Debugger.CallFrame | undefined): Promise<CompactGraphSnapshot> {
    const cdp = runtime?.cdp;
    if (!runtime || !cdp || cdp.isClosed) return emptyCompact(this.generation, null);
    const limit = args.limit !== undefined && args.limit > 0 ? Math.floor(args.limit) : DEFAULT_LIMIT;
    try {
      let text: unknown;
      if (args.expression) {
        const evaluated = frame
          ? await cdp.send("Debugger.evaluateOnCallFrame", { callFrameId: frame.callFrameId, expression: args.expression, objectGroup: OBJECT_GROUP, silent: true })
          : await cdp.send("Runtime.evaluate", { expression: args.expression, objectGroup: OBJECT_GROUP, silent: true, contextId: runtime.executionContextId });
        if (evaluated.exceptionDetails) throw new Error(evaluated.exceptionDetails.exception?.description?.split("\n")[0] ?? evaluated.exceptionDetails.text);
        if (!evaluated.result.objectId) throw new Error(`'${args.expression}' is not a tensor or a module.`);
        const response = await cdp.send("Runtime.callFunctionOn", {
          objectId: evaluated.result.objectId,
          functionDeclaration: GRAPH_OF_VALUE,
          arguments: [{ value: limit }, { value: args.expression }],
          returnByValue: true,
          silent: true,
        });
        text = response.result.value;
      } else if (frame) {
        try {
          text = await callByValue(runtime, GRAPH_OF_SCOPES, [{ value: limit }, ...scopeArguments(frame)]);
        } catch (error) {
          // The program resumed since the request came in: its scopes are gone.
          if (!runtime.paused && this.lastPaused) return wireToCompact(this.lastPaused, this.generation);
          throw error;
        }
      } else {
        const state = (await callByValue<RawBackwardState | null>(runtime, BACKWARD_STATE)) ?? null;
        return this.lastPaused ? wireToCompact(this.lastPaused, this.generation, state ?? NO_BACKWARD_PASS) : emptyCompact(this.generation, state);
      }
      if (typeof text !== "string") return emptyCompact(this.generation, null);
      const wire = JSON.parse(text) as RawGraphWire;
      if (frame && !args.expression) this.lastPaused = wire;
      return wireToCompact(wire, this.generation);
    } finally {
      void cdp.send("Runtime.releaseObjectGroup", { objectGroup: OBJECT_GROUP }).catch(() => undefined);
    }
  }
}
