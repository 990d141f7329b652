/**
 * Function breakpoints name a backward node type (MulBackward0, AccumulateGrad …); the
 * engine stops at every node of that type during backward. Anything that cannot be a node
 * type is reported unverified with the reason.
 */
import type { DebugProtocol } from "@vscode/debugprotocol";

const NODE_TYPE = /^[A-Z][A-Za-z0-9_]*$/;

export class FunctionBreakpoints {
  private byName = new Map<string, number>();
  private nextId = 1_000_000; // apart from source breakpoint ids

  /** Replaces the set (DAP semantics); returns one report per requested breakpoint. */
  set(requested: DebugProtocol.FunctionBreakpoint[]): DebugProtocol.Breakpoint[] {
    const next = new Map<string, number>();
    const reports = requested.map((bp) => {
      const name = bp.name.trim();
      if (!NODE_TYPE.test(name)) {
        return { id: this.nextId++, verified: false, message: `'${bp.name}' is not a backward node type. Function breakpoints name one, such as MulBackward0 or AccumulateGrad.` };
      }
      const id = this.byName.get(name) ?? next.get(name) ?? this.nextId++;
      next.set(name, id);
      return { id, verified: true, message: `Stops at every ${name} node during backward.` };
    });
    this.byName = next;
    return reports;
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  idOf(name: string): number | undefined {
    return this.byName.get(name);
  }
}
