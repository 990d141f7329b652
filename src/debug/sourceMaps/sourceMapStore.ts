/**
 * Source maps, their own module (as in vscode-js-debug): which generated script a TS
 * file lives in, and translation both ways. Lines here are CDP-style 0-based for
 * generated code and DAP-style 1-based for original sources; columns 0-based in both.
 */
import {
  TraceMap,
  originalPositionFor,
  generatedPositionFor,
  LEAST_UPPER_BOUND,
  GREATEST_LOWER_BOUND,
  type SourceMapInput,
} from "@jridgewell/trace-mapping";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface OriginalPosition {
  /** Absolute file path of the original source. */
  path: string;
  /** 1-based. */
  line: number;
  /** 0-based. */
  column: number;
}

export interface GeneratedPosition {
  /** The generated script's URL as V8 reports it (file:///…). */
  url: string;
  /** 0-based. */
  line: number;
  /** 0-based. */
  column: number;
}

/** How far below a line without code a breakpoint may move (as js-debug does). */
const MAX_BREAKPOINT_LINE_SHIFT = 20;

export function urlToPath(url: string): string {
  return url.startsWith("file://") ? fileURLToPath(url) : url;
}

export function pathToUrl(file: string): string {
  return pathToFileURL(file).href;
}

export class SourceMapStore {
  /** generated script URL -> its map (null: looked, has none). */
  private readonly maps = new Map<string, TraceMap | null>();
  /** original source path -> generated script URLs that contain it. */
  private readonly sourceIndex = new Map<string, Set<string>>();
  /** script URL -> its sourceMappingURL, not yet loaded. */
  private readonly pending = new Map<string, string>();

  /** Registers a map the adapter produced itself (before the script even loads). */
  register(generatedUrl: string, map: SourceMapInput, mapFile?: string): void {
    const traceMap = new TraceMap(map, mapFile);
    this.maps.set(generatedUrl, traceMap);
    for (const source of traceMap.resolvedSources) {
      const key = normalizeSourcePath(source);
      let urls = this.sourceIndex.get(key);
      if (!urls) this.sourceIndex.set(key, (urls = new Set()));
      urls.add(generatedUrl);
    }
  }

  /**
   * Notes the map a parsed script points at. It is read and parsed only when first needed:
   * the engine's map is large, and parsing it while the debuggee waits would slow start-up.
   */
  loadForScript(scriptUrl: string, sourceMapURL: string | undefined): void {
    if (this.maps.has(scriptUrl) || !sourceMapURL || !scriptUrl.startsWith("file://")) return;
    this.pending.set(scriptUrl, sourceMapURL);
  }

  private materialize(scriptUrl: string): void {
    const sourceMapURL = this.pending.get(scriptUrl);
    if (sourceMapURL === undefined) return;
    this.pending.delete(scriptUrl);
    this.maps.set(scriptUrl, null);
    try {
      if (sourceMapURL.startsWith("data:")) {
        const comma = sourceMapURL.indexOf(",");
        const payload = sourceMapURL.slice(comma + 1);
        const text = sourceMapURL.slice(0, comma).endsWith(";base64") ? Buffer.from(payload, "base64").toString("utf8") : decodeURIComponent(payload);
        this.register(scriptUrl, text, urlToPath(scriptUrl));
      } else {
        const mapFile = urlToPath(new URL(sourceMapURL, scriptUrl).href);
        this.register(scriptUrl, readFileSync(mapFile, "utf8"), mapFile);
      }
    } catch {
      // A broken or missing map leaves the script debuggable as plain JS.
    }
  }

  hasMap(scriptUrl: string): boolean {
    this.materialize(scriptUrl);
    return Boolean(this.maps.get(scriptUrl));
  }

  private materializeAll(): void {
    for (const url of [...this.pending.keys()]) this.materialize(url);
  }

  /** Generated (0-based line/column) -> original, or null when unmapped. */
  toOriginal(scriptUrl: string, line: number, column: number): OriginalPosition | null {
    this.materialize(scriptUrl);
    const map = this.maps.get(scriptUrl);
    if (!map) return null;
    let found = originalPositionFor(map, { line: line + 1, column, bias: GREATEST_LOWER_BOUND });
    if (found.source === null) found = originalPositionFor(map, { line: line + 1, column, bias: LEAST_UPPER_BOUND });
    if (found.source === null) return null;
    return { path: normalizeSourcePath(found.source), line: found.line, column: found.column };
  }

  /**
   * Original line -> the first generated position on it, moving down to the next line
   * that has code when the line itself has none. `line` is 1-based.
   */
  toGenerated(sourcePath: string, line: number, column = 0): GeneratedPosition | null {
    if (!this.sourceIndex.has(normalizeSourcePath(sourcePath))) this.materializeAll();
    const urls = this.sourceIndex.get(normalizeSourcePath(sourcePath));
    if (!urls) return null;
    for (let candidate = line; candidate <= line + MAX_BREAKPOINT_LINE_SHIFT; candidate++) {
      for (const url of urls) {
        const map = this.maps.get(url);
        if (!map) continue;
        const source = map.resolvedSources.find((s) => normalizeSourcePath(s) === normalizeSourcePath(sourcePath));
        if (!source) continue;
        const pos = generatedPositionFor(map, {
          source,
          line: candidate,
          column: candidate === line ? column : 0,
          bias: LEAST_UPPER_BOUND,
        });
        if (pos.line !== null) return { url, line: pos.line - 1, column: pos.column };
      }
    }
    return null;
  }

  /** Whether any known map mentions this source file. */
  knowsSource(sourcePath: string): boolean {
    this.materializeAll();
    return this.sourceIndex.has(normalizeSourcePath(sourcePath));
  }
}

function normalizeSourcePath(source: string): string {
  const file = source.startsWith("file://") ? fileURLToPath(source) : source;
  return path.normalize(file);
}
