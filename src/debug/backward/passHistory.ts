/**
 * The stops of the backward pass being debugged, oldest first, and which one is shown. The
 * last stop is the live one (the debuggee is paused there); Step Back moves the cursor over
 * earlier ones, whose values the engine recorded, and stepping forward replays until live.
 */
import type { NodeStopDetails } from "../../../engine/debug/inspectTypes";

export class PassHistory {
  private stops: NodeStopDetails[] = [];
  private pass = -1;
  private cursor = -1;

  clear(): void {
    this.stops = [];
    this.pass = -1;
    this.cursor = -1;
  }

  /** A new live stop; a stop of another pass starts a new history. */
  pushLive(details: NodeStopDetails): void {
    if (details.event.pass !== this.pass) {
      this.stops = [];
      this.pass = details.event.pass;
    }
    this.stops.push(details);
    this.cursor = this.stops.length - 1;
  }

  get isEmpty(): boolean {
    return this.stops.length === 0;
  }

  /** True while showing an earlier stop than the live one. */
  get replaying(): boolean {
    return this.cursor < this.stops.length - 1;
  }

  get position(): number {
    return this.cursor;
  }

  /** Moves the cursor (clamped); returns the stop shown and whether it is the live one. */
  moveTo(index: number): { details: NodeStopDetails; live: boolean } | null {
    if (this.stops.length === 0) return null;
    this.cursor = Math.max(0, Math.min(index, this.stops.length - 1));
    return { details: this.stops[this.cursor]!, live: this.cursor === this.stops.length - 1 };
  }

  /** Reverse Continue's target: the previous stop that was not a plain step, else the first. */
  previousBreak(): number {
    for (let i = this.cursor - 1; i > 0; i--) if (this.stops[i]!.event.reason !== "step") return i;
    return 0;
  }
}
