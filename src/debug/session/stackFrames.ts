/**
 * V8 call frames -> DAP stack frames in the user's TS locations. Engine frames are
 * hidden unless `stepIntoEngine`; Node internals stay visible but de-emphasised, with
 * their source served by reference.
 */
import { Handles, Source, StackFrame } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { Protocol } from "devtools-protocol";
import * as path from "node:path";
import type { DebuggeeRuntime } from "../runtime/debuggeeRuntime";
import { urlToPath, type OriginalPosition } from "../sourceMaps/sourceMapStore";

export interface VisibleFrame {
  id: number;
  callFrame: Protocol.Debugger.CallFrame;
  /** True for frames of the user's program files (names sucrase made up are hidden in their scopes). */
  isUserCode: boolean;
  /** Where the frame is in the original source file, when source-mapped (its path names the file). */
  original?: OriginalPosition | null;
  /** Set for the synthetic backward-node frame (src/debug/backward): it presents itself. */
  synthetic?: (id: number) => DebugProtocol.StackFrame;
}

/** A frame put on top of the V8 frames (the backward node being stepped). */
export interface SyntheticFrameSource {
  callFrame: Protocol.Debugger.CallFrame;
  toDap(id: number): DebugProtocol.StackFrame;
}

export class StackFrames {
  private frames = new Handles<VisibleFrame>();
  private visible: VisibleFrame[] | undefined;
  /** scriptId per sourceReference, for `source` requests on code without a file. */
  private readonly sourceRefs = new Map<number, string>();
  private readonly sourceRefByScript = new Map<string, number>();
  private nextSourceRef = 1;

  /** Seam for backward stepping: the synthetic node frame to show on top, if any. */
  syntheticTop?: () => SyntheticFrameSource | undefined;

  constructor(private readonly runtime: () => DebuggeeRuntime | undefined) {}

  reset(): void {
    this.frames.reset();
    this.visible = undefined;
  }

  frame(id: number): VisibleFrame | undefined {
    return this.frames.get(id);
  }

  /** The frame a request names, else the top one (a request without a frameId). */
  frameOrTop(id: number | undefined): VisibleFrame | undefined {
    return id !== undefined ? this.frame(id) : this.visibleFrames()[0];
  }

  /** The frames of the current pause the user may see, created once per pause. */
  visibleFrames(): VisibleFrame[] {
    if (this.visible) return this.visible;
    const runtime = this.runtime();
    const pause = runtime?.paused;
    if (!runtime || !pause) return [];
    const out: VisibleFrame[] = [];
    const synthetic = this.syntheticTop?.();
    if (synthetic) {
      const frame: VisibleFrame = { id: 0, callFrame: synthetic.callFrame, isUserCode: false, synthetic: (id) => synthetic.toDap(id) };
      frame.id = this.frames.create(frame);
      out.push(frame);
    }
    for (const callFrame of pause.callFrames) {
      const script = runtime.script(callFrame.location.scriptId);
      if (script?.kind === "engine" && !runtime.stepIntoEngine) continue;
      const original = script ? runtime.maps.toOriginal(script.url, callFrame.location.lineNumber, callFrame.location.columnNumber ?? 0) : null;
      const frame: VisibleFrame = { id: 0, callFrame, isUserCode: script?.kind === "user", original };
      frame.id = this.frames.create(frame);
      out.push(frame);
    }
    this.visible = out;
    return out;
  }

  toDap(frame: VisibleFrame): DebugProtocol.StackFrame {
    if (frame.synthetic) return frame.synthetic(frame.id);
    const runtime = this.runtime()!;
    const { callFrame } = frame;
    const script = runtime.script(callFrame.location.scriptId);
    const name = callFrame.functionName || "<anonymous>";
    const line = callFrame.location.lineNumber;
    const column = callFrame.location.columnNumber ?? 0;
    // Mapped once, when the pause's frames were listed.
    const { original } = frame;
    let dap: DebugProtocol.StackFrame;
    if (original) {
      dap = new StackFrame(frame.id, name, new Source(path.basename(original.path), original.path), original.line, original.column + 1);
    } else if (script?.url.startsWith("file://")) {
      const file = urlToPath(script.url);
      dap = new StackFrame(frame.id, name, new Source(path.basename(file), file), line + 1, column + 1);
    } else {
      const source = new Source(script?.url || "<eval>", undefined, this.sourceReferenceFor(callFrame.location.scriptId), "internal");
      dap = new StackFrame(frame.id, name, source, line + 1, column + 1);
    }
    if (script?.kind === "internal" || script?.kind === "engine") dap.presentationHint = "subtle";
    return dap;
  }

  scriptForSourceReference(reference: number): string | undefined {
    return this.sourceRefs.get(reference);
  }

  private sourceReferenceFor(scriptId: string): number {
    let ref = this.sourceRefByScript.get(scriptId);
    if (ref === undefined) {
      ref = this.nextSourceRef++;
      this.sourceRefByScript.set(scriptId, ref);
      this.sourceRefs.set(ref, scriptId);
    }
    return ref;
  }
}
