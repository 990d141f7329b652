/**
 * DAP source breakpoints -> V8 breakpoints, through the source maps.
 * Conditions and logpoints run in V8 (no round trip per hit); hit counts are counted
 * here, because a counter inside the debuggee would be a visible side effect.
 */
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { CdpConnection } from "../cdp/cdpConnection";
import { SourceMapStore, pathToUrl, urlToPath, type GeneratedPosition } from "../sourceMaps/sourceMapStore";

export interface BreakpointSpec {
  line: number;
  column?: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

interface ManagedBreakpoint {
  dapId: number;
  sourcePath: string;
  spec: BreakpointSpec;
  cdpId?: string;
  generated?: GeneratedPosition;
  /** Where V8 actually put it, once the script is parsed (0-based). */
  resolved: Array<{ scriptId: string; line: number; column: number }>;
  hits: number;
}

export class BreakpointManager {
  private readonly bySource = new Map<string, ManagedBreakpoint[]>();
  private readonly byCdpId = new Map<string, ManagedBreakpoint>();
  private nextDapId = 1;

  constructor(
    private readonly maps: SourceMapStore,
    private readonly connection: () => CdpConnection | undefined,
  ) {}

  /** Replaces all breakpoints of one source file (DAP semantics) and reports each one. */
  async setForSource(sourcePath: string, specs: BreakpointSpec[]): Promise<DebugProtocol.Breakpoint[]> {
    const previous = this.bySource.get(sourcePath) ?? [];
    const cdp = this.connection();
    for (const old of previous) {
      if (old.cdpId) {
        this.byCdpId.delete(old.cdpId);
        await cdp?.send("Debugger.removeBreakpoint", { breakpointId: old.cdpId }).catch(() => undefined);
      }
    }
    const managed = specs.map((spec) => ({ dapId: this.nextDapId++, sourcePath, spec, resolved: [], hits: 0 }) as ManagedBreakpoint);
    this.bySource.set(sourcePath, managed);
    const reports: DebugProtocol.Breakpoint[] = [];
    for (const bp of managed) reports.push(await this.install(bp));
    return reports;
  }

  /** Installs every known breakpoint on a fresh connection (after restart). */
  async reinstallAll(): Promise<void> {
    this.byCdpId.clear();
    for (const list of this.bySource.values()) {
      for (const bp of list) {
        bp.cdpId = undefined;
        bp.resolved = [];
        bp.hits = 0;
        await this.install(bp);
      }
    }
  }

  onResolved(cdpId: string, location: { scriptId: string; lineNumber: number; columnNumber?: number }): void {
    const bp = this.byCdpId.get(cdpId);
    if (bp) bp.resolved.push({ scriptId: location.scriptId, line: location.lineNumber, column: location.columnNumber ?? 0 });
  }

  /** The DAP ids of the user breakpoints among V8's hit breakpoint ids. */
  dapIdsFor(cdpIds: string[]): number[] {
    return cdpIds.map((id) => this.byCdpId.get(id)?.dapId).filter((id): id is number => id !== undefined);
  }

  /**
   * Counts a hit on each of the paused-at breakpoints; true when at least one of them
   * wants to stop now (no hit condition, or the condition is met).
   */
  registerHits(cdpIds: string[]): boolean {
    let stop = false;
    let sawUserBreakpoint = false;
    for (const id of cdpIds) {
      const bp = this.byCdpId.get(id);
      if (!bp) continue;
      sawUserBreakpoint = true;
      bp.hits++;
      if (hitConditionMet(bp.spec.hitCondition, bp.hits)) stop = true;
    }
    return stop || !sawUserBreakpoint;
  }

  private async install(bp: ManagedBreakpoint): Promise<DebugProtocol.Breakpoint> {
    const cdp = this.connection();
    const { spec } = bp;
    const hitCondition = spec.hitCondition?.trim();
    if (hitCondition && !parseHitCondition(hitCondition)) {
      return { id: bp.dapId, verified: false, line: spec.line, message: `Invalid hit count '${hitCondition}': use N, >N, >=N, ==N, <N, <=N or %N.` };
    }
    let target = this.maps.toGenerated(bp.sourcePath, spec.line, spec.column !== undefined ? spec.column - 1 : 0);
    if (!target) {
      if (this.maps.knowsSource(bp.sourcePath)) {
        return { id: bp.dapId, verified: false, line: spec.line, message: "No code on or below this line." };
      }
      if (!/\.[mc]?js$/.test(bp.sourcePath)) {
        return { id: bp.dapId, verified: false, line: spec.line, message: "This file is not part of the program being debugged (nothing imports it)." };
      }
      // Plain JS loaded at run time (e.g. from node_modules): breakpoint by its own URL.
      target = { url: pathToUrl(bp.sourcePath), line: spec.line - 1, column: spec.column !== undefined ? spec.column - 1 : 0 };
    }
    bp.generated = target;
    if (!cdp) return { id: bp.dapId, verified: false, line: spec.line, message: "The debuggee is not running." };
    try {
      const result = await cdp.send("Debugger.setBreakpointByUrl", {
        url: target.url,
        lineNumber: target.line,
        columnNumber: target.column,
        condition: v8Condition(spec),
      });
      bp.cdpId = result.breakpointId;
      this.byCdpId.set(result.breakpointId, bp);
      for (const loc of result.locations) this.onResolved(result.breakpointId, loc);
      const where = result.locations[0] ?? { lineNumber: target.line, columnNumber: target.column };
      const original = this.maps.toOriginal(target.url, where.lineNumber, where.columnNumber ?? 0);
      const mapped = this.maps.hasMap(target.url);
      return {
        id: bp.dapId,
        // Our own bundle is certain to load, so a mapped location is as good as bound.
        verified: mapped || result.locations.length > 0,
        line: original?.line ?? where.lineNumber + 1,
        column: (original?.column ?? where.columnNumber ?? 0) + 1,
        source: { path: original?.path ?? urlToPath(target.url) },
      };
    } catch (error) {
      return { id: bp.dapId, verified: false, line: spec.line, message: (error as Error).message };
    }
  }
}

/** Condition and logpoint folded into one V8 condition expression. */
function v8Condition(spec: BreakpointSpec): string | undefined {
  const condition = spec.condition?.trim() || undefined;
  if (spec.logMessage === undefined) return condition;
  const log = `(console.log(${logTemplate(spec.logMessage)}), false)`;
  return condition ? `(${condition}) && ${log}` : log;
}

/** `x is {x}` -> a template literal; braces are expressions, the rest is text. */
export function logTemplate(message: string): string {
  let out = "`";
  let i = 0;
  while (i < message.length) {
    const open = message.indexOf("{", i);
    if (open < 0) {
      out += escapeTemplateText(message.slice(i));
      break;
    }
    out += escapeTemplateText(message.slice(i, open));
    const close = message.indexOf("}", open);
    if (close < 0) {
      out += escapeTemplateText(message.slice(open));
      break;
    }
    out += "${" + message.slice(open + 1, close) + "}";
    i = close + 1;
  }
  return out + "`";
}

function escapeTemplateText(text: string): string {
  return text.replace(/[`\\$]/g, (c) => "\\" + c);
}

type HitTest = (hits: number) => boolean;

function parseHitCondition(text: string): HitTest | null {
  const match = /^(>=|>|==|=|<=|<|%)?\s*(\d+)$/.exec(text);
  if (!match) return null;
  const n = Number(match[2]);
  switch (match[1]) {
    case ">":
      return (h) => h > n;
    case "==":
    case "=":
      return (h) => h === n;
    case "<":
      return (h) => h < n;
    case "<=":
      return (h) => h <= n;
    case "%":
      return (h) => n > 0 && h % n === 0;
    default:
      // A bare number means "from the Nth hit on", as in VS Code's JavaScript debugger.
      return (h) => h >= n;
  }
}

function hitConditionMet(hitCondition: string | undefined, hits: number): boolean {
  const text = hitCondition?.trim();
  if (!text) return true;
  return parseHitCondition(text)?.(hits) ?? true;
}
