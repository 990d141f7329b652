/**
 * Breakpoints in the engine's debugger hooks (one call per backward stop, one per
 * watched-gradient write, one per engine error raised while `autogradErrors` is on). They are
 * set by URL on the engine bundles before the program's first line runs, at the hook's marker
 * statement, found in the bundle's text (the string literal survives minification); so no
 * stop can be missed however early the program runs backward, and nothing is paid until the
 * engine calls a hook.
 */
import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import type { CdpConnection } from "../cdp/cdpConnection";
import { pathToUrl } from "../sourceMaps/sourceMapStore";
import { AUTOGRAD_ERROR_HOOK_MARKER, BACKWARD_HOOK_MARKER, GRAD_WRITE_HOOK_MARKER } from "../../../engine/debug/inspectTypes";

export type HookKind = "backwardNode" | "gradWritten" | "autogradError";

const MARKERS: Record<HookKind, string> = {
  backwardNode: BACKWARD_HOOK_MARKER,
  gradWritten: GRAD_WRITE_HOOK_MARKER,
  autogradError: AUTOGRAD_ERROR_HOOK_MARKER,
};
const ENGINE_BUNDLES = ["engine.cjs", "engine.mjs"];

export class EngineHooks {
  private readonly kindByBreakpoint = new Map<string, HookKind>();

  /** Sets the hook breakpoints in every engine bundle present in `engineDir`. */
  async install(cdp: CdpConnection, engineDir: string): Promise<void> {
    const requests: Array<Promise<void>> = [];
    for (const bundle of ENGINE_BUNDLES) {
      const file = path.join(engineDir, bundle);
      for (const { kind, at } of hookPositions(file)) {
        // All sent at once: each answer is a round trip the debuggee waits for before its first line.
        requests.push(
          cdp.send("Debugger.setBreakpointByUrl", { url: pathToUrl(file), lineNumber: at.line, columnNumber: at.column }).then((result) => {
            this.kindByBreakpoint.set(result.breakpointId, kind);
          }),
        );
      }
    }
    await Promise.all(requests);
  }

  /** Which hook a pause is in, from V8's hit breakpoint ids. */
  hookOf(hitBreakpoints: readonly string[] | undefined): HookKind | null {
    for (const id of hitBreakpoints ?? []) {
      const kind = this.kindByBreakpoint.get(id);
      if (kind) return kind;
    }
    return null;
  }
}

/** Hook positions per bundle file, by modification time: the bundles are large and rarely change. */
const positionCache = new Map<string, { mtimeMs: number; positions: Array<{ kind: HookKind; at: { line: number; column: number } }> }>();

function hookPositions(file: string): Array<{ kind: HookKind; at: { line: number; column: number } }> {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return []; // that module format was not built
  }
  const cached = positionCache.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.positions;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const positions: Array<{ kind: HookKind; at: { line: number; column: number } }> = [];
  for (const kind of Object.keys(MARKERS) as HookKind[]) {
    const at = markerStatement(text, MARKERS[kind]);
    if (at) positions.push({ kind, at });
  }
  positionCache.set(file, { mtimeMs, positions });
  return positions;
}

/**
 * 0-based position of the `return` that yields the marker: V8 moves a breakpoint to the next
 * breakable position, so it must sit at the statement's start, not inside it.
 */
function markerStatement(text: string, marker: string): { line: number; column: number } | null {
  const quoted = text.indexOf(JSON.stringify(marker));
  const literal = quoted >= 0 ? quoted : text.indexOf(`'${marker}'`);
  if (literal < 0) return null;
  const statement = text.lastIndexOf("return", literal);
  const offset = statement >= 0 && literal - statement < 16 ? statement : literal;
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) };
}
