/** The words a backward stop is reported with (stopped event, exception info). */
import * as path from "node:path";
import type { GradWriteEvent, NodeStopDetails } from "../../../engine/debug/inspectTypes";
import type { StopEvent } from "../runtime/debuggeeRuntime";

export const NAN_INF_FILTER = {
  filter: "nanInf",
  label: "NaN or Inf in backward",
  description: "Stop at the backward node that first produces a NaN or an infinity, at the forward line that created it.",
  default: false,
};

/** `NaN in the gradient LogBackward0 sends to 'x', element [0, 2]` */
export function nonFiniteText(details: NodeStopDetails): string {
  const finding = details.event.nonFinite;
  if (!finding) return "";
  const input = details.inputNames[finding.inputIndex] ?? `input${finding.inputIndex}`;
  const element = finding.index.length > 0 ? `element [${finding.index.join(", ")}]` : "its only element";
  return `${finding.value} in the gradient ${details.event.name} sends to '${input}' (input ${finding.inputIndex}), ${element}`;
}

function where(details: NodeStopDetails): string {
  const location = details.event.forwardLocation;
  return location ? ` (forward at ${path.basename(location.file)}:${location.line})` : "";
}

/** The stopped event for a live backward node stop. */
export function nodeStopEvent(details: NodeStopDetails, hitBreakpointIds: number[] | undefined, watchedName: string | undefined): StopEvent {
  const { event } = details;
  switch (event.reason) {
    case "functionBreakpoint":
      return { reason: "function breakpoint", description: `Paused on function breakpoint ${event.name}`, text: event.name, hitBreakpointIds };
    case "gradWritten":
      return {
        reason: "data breakpoint",
        description: `Paused on data breakpoint: ${watchedName ?? "grad"} written by ${event.name}`,
        text: `${watchedName ?? "grad"} written by ${event.name}`,
        hitBreakpointIds,
      };
    case "nanInf":
      return { reason: "exception", description: `Paused on NaN/Inf in backward: ${event.name}${where(details)}`, text: nonFiniteText(details) };
    default:
      return { reason: "step", description: `Backward: ${event.name}${where(details)}` };
  }
}

export function gradWriteStopEvent(write: GradWriteEvent, watchedName: string | undefined, hitBreakpointIds: number[] | undefined): StopEvent {
  const name = watchedName ?? "grad";
  const at = write.location ? ` at ${path.basename(write.location.file)}:${write.location.line}` : "";
  return { reason: "data breakpoint", description: `Paused on data breakpoint: ${name} assigned${at}`, text: `${name} assigned`, hitBreakpointIds };
}
