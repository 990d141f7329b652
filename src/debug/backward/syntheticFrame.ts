/**
 * The synthetic top stack frame of a backward stop: named after the node (MulBackward0),
 * placed at the user's forward line that created it, with one scope holding the node's
 * frame object (gradOutput, gradInputs, inputs, saved) from the engine. Evaluation in it
 * runs in the user's frame that called backward(), which is where the user's names live.
 */
import { Source, StackFrame } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { Protocol } from "devtools-protocol";
import * as path from "node:path";
import type { NodeStopDetails } from "../../../engine/debug/inspectTypes";
import type { SyntheticFrameSource } from "../session/stackFrames";
import { urlToPath } from "../sourceMaps/sourceMapStore";

export function syntheticNodeFrame(details: NodeStopDetails, frameObjectId: string | undefined, userFrame: Protocol.Debugger.CallFrame | undefined, replayed: boolean): SyntheticFrameSource {
  const { event } = details;
  // A stand-in V8 call frame: the user's frame for evaluation, the node's object as its only scope.
  const callFrame: Protocol.Debugger.CallFrame = {
    callFrameId: userFrame?.callFrameId ?? "gradscope-synthetic",
    functionName: event.name,
    location: userFrame?.location ?? { scriptId: "", lineNumber: 0, columnNumber: 0 },
    url: "",
    scopeChain: frameObjectId ? [{ type: "local", name: event.name, object: { type: "object", className: "Object", objectId: frameObjectId } }] : [],
    this: { type: "undefined" },
  };
  return {
    callFrame,
    toDap(id) {
      const location = event.forwardLocation;
      const name = replayed ? `${event.name} (step ${event.step + 1}, replayed)` : event.name;
      if (!location) {
        // Made before the engine recorded forward lines (see BackwardController.recordForwardLocations).
        const frame: DebugProtocol.StackFrame = new StackFrame(id, `${name} (forward line not recorded)`);
        frame.presentationHint = "label";
        return frame;
      }
      const file = urlToPath(location.file);
      return new StackFrame(id, name, new Source(path.basename(file), file), location.line, location.column);
    },
  };
}
