/**
 * Data breakpoints on a tensor's gradient. The data id names the tensor (`grad:<tensor id>`);
 * the engine stops when that tensor's `.grad` is written, by backward or by user code.
 */
import type { DebugProtocol } from "@vscode/debugprotocol";

interface Watch {
  id: number;
  tensorId: number;
  description: string;
}

const DATA_ID = /^grad:(\d+)$/;

export function gradDataId(tensorId: number): string {
  return `grad:${tensorId}`;
}

export class DataBreakpoints {
  private watches: Watch[] = [];
  private readonly descriptions = new Map<number, string>();
  private nextId = 2_000_000;

  /** Remembers how the Variables view named the tensor (`w.grad`), for stop texts. */
  describe(tensorId: number, description: string): void {
    this.descriptions.set(tensorId, description);
  }

  set(requested: DebugProtocol.DataBreakpoint[]): DebugProtocol.Breakpoint[] {
    const previous = new Map(this.watches.map((w) => [w.tensorId, w]));
    this.watches = [];
    return requested.map((bp) => {
      const match = DATA_ID.exec(bp.dataId);
      if (!match) return { id: this.nextId++, verified: false, message: "Only a tensor's grad can be watched." };
      const tensorId = Number(match[1]);
      const watch = previous.get(tensorId) ?? { id: this.nextId++, tensorId, description: this.descriptions.get(tensorId) ?? `tensor #${tensorId}.grad` };
      this.watches.push(watch);
      return { id: watch.id, verified: true, message: `Stops when ${watch.description} is written.` };
    });
  }

  get tensorIds(): number[] {
    return this.watches.map((w) => w.tensorId);
  }

  find(tensorId: number | undefined): Watch | undefined {
    return this.watches.find((w) => w.tensorId === tensorId);
  }
}
