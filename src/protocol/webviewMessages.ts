/**
 * Messages between the extension host (src/graph) and the graph webview (media/graph).
 *
 * The webview is treated as untrusted input: everything it posts goes through
 * `parseWebviewMessage` before the host acts on it. The validators are hand-written
 * (no schema library) so the webview bundle and the host share them without weight.
 */
import type { BackwardPassState, GraphSnapshot, SourceLocation } from "./graphSnapshot";

export type ExportFormat = "svg" | "png" | "dot";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["svg", "png", "dot"];

// ---------------------------------------------------------------- host -> webview

/** A full graph (new stop, or the graph's shape changed). */
export interface SnapshotMessage {
  type: "snapshot";
  snapshot: GraphSnapshot;
}

/** Only the backward pass moved: the webview restyles, it never re-lays out for this. */
export interface BackwardStateMessage {
  type: "backwardState";
  generation: number;
  backward: BackwardPassState;
}

/** The session ended or there is nothing to show. */
export interface ClearMessage {
  type: "clear";
  reason: string;
}

/** Commands the host can trigger from its own UI (command palette, view title). */
export interface CommandMessage {
  type: "command";
  command: "fit" | "expandAll" | "collapseAll" | "export";
  format?: ExportFormat;
}

export type HostToWebviewMessage = SnapshotMessage | BackwardStateMessage | ClearMessage | CommandMessage;

// ---------------------------------------------------------------- webview -> host

/** The page finished loading and listens; the host (re)sends the latest snapshot. */
export interface ReadyMessage {
  type: "ready";
}

/** The user clicked a node: open its forward source line. */
export interface RevealMessage {
  type: "reveal";
  nodeId: string;
  location: SourceLocation;
}

/**
 * The user exported the view. `content` is the file text for svg/dot and a
 * `data:image/png;base64,` URL for png (the webview cannot write files).
 */
export interface ExportMessage {
  type: "export";
  format: ExportFormat;
  content: string;
  suggestedName: string;
}

/** Something went wrong in the page; the host logs it. */
export interface ErrorMessage {
  type: "error";
  message: string;
}

export type WebviewToHostMessage = ReadyMessage | RevealMessage | ExportMessage | ErrorMessage;

// ---------------------------------------------------------------- validation

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

/** Exports are bounded so a misbehaving page cannot make the host allocate without limit. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
const MAX_ID_CHARS = 256;
const MAX_PATH_CHARS = 4096;
const MAX_ERROR_CHARS = 4000;
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;
/** A plain file name: no directories, no control characters, sensible extension. */
const SAFE_FILE_NAME = /^[^\\/:*?"<>|\u0000-\u001f]{1,120}\.(svg|png|dot)$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBoundedString(value: unknown, maxChars: number): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= maxChars;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 10_000_000;
}

function hasOnlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(value).every((key) => allowed.includes(key));
}

export function isSourceLocation(value: unknown): value is SourceLocation {
  return (
    isRecord(value) &&
    hasOnlyKeys(value, ["path", "line", "column"]) &&
    isBoundedString(value.path, MAX_PATH_CHARS) &&
    !value.path.includes("\u0000") &&
    isPositiveInteger(value.line) &&
    isPositiveInteger(value.column)
  );
}

function fail<T>(error: string): ParseResult<T> {
  return { ok: false, error };
}

/** Validates anything the webview posted. Unknown types and extra fields are rejected. */
export function parseWebviewMessage(value: unknown): ParseResult<WebviewToHostMessage> {
  if (!isRecord(value) || typeof value.type !== "string") return fail("message is not an object with a string type");
  switch (value.type) {
    case "ready":
      if (!hasOnlyKeys(value, ["type"])) return fail("ready: unexpected fields");
      return { ok: true, message: { type: "ready" } };
    case "reveal":
      if (!hasOnlyKeys(value, ["type", "nodeId", "location"])) return fail("reveal: unexpected fields");
      if (!isBoundedString(value.nodeId, MAX_ID_CHARS)) return fail("reveal: nodeId must be a short non-empty string");
      if (!isSourceLocation(value.location)) return fail("reveal: location must be { path, line >= 1, column >= 1 }");
      return { ok: true, message: { type: "reveal", nodeId: value.nodeId, location: { ...value.location } } };
    case "export":
      return parseExport(value);
    case "error":
      if (!hasOnlyKeys(value, ["type", "message"])) return fail("error: unexpected fields");
      if (typeof value.message !== "string") return fail("error: message must be a string");
      return { ok: true, message: { type: "error", message: value.message.slice(0, MAX_ERROR_CHARS) } };
    default:
      return fail(`unknown message type ${JSON.stringify(value.type).slice(0, 40)}`);
  }
}

function parseExport(value: Record<string, unknown>): ParseResult<WebviewToHostMessage> {
  if (!hasOnlyKeys(value, ["type", "format", "content", "suggestedName"])) return fail("export: unexpected fields");
  const format = value.format;
  if (typeof format !== "string" || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    return fail("export: format must be svg, png or dot");
  }
  if (!isBoundedString(value.content, MAX_EXPORT_CHARS)) return fail("export: content must be a non-empty string within the size limit");
  if (format === "png" && !PNG_DATA_URL.test(value.content)) return fail("export: png content must be a base64 PNG data URL");
  if (format === "svg" && !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(value.content)) return fail("export: svg content must start with <svg");
  if (format === "dot" && !/^\s*(strict\s+)?digraph\b/.test(value.content)) return fail("export: dot content must be a digraph");
  if (typeof value.suggestedName !== "string" || !SAFE_FILE_NAME.test(value.suggestedName) || !value.suggestedName.endsWith(`.${format}`)) {
    return fail("export: suggestedName must be a plain file name ending in the format's extension");
  }
  return {
    ok: true,
    message: { type: "export", format: format as ExportFormat, content: value.content, suggestedName: value.suggestedName },
  };
}

/**
 * A light structural check the webview applies to what arrives on `message` events,
 * so that stray messages (other frames, extensions) are ignored instead of crashing it.
 * The host is trusted; this only checks the discriminant and the top-level shape.
 */
export function isHostToWebviewMessage(value: unknown): value is HostToWebviewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case "snapshot": {
      const s = value.snapshot;
      return isRecord(s) && s.version === 1 && Array.isArray(s.nodes) && Array.isArray(s.edges) && isRecord(s.backward);
    }
    case "backwardState":
      return typeof value.generation === "number" && isRecord(value.backward) && Array.isArray(value.backward.doneNodeIds);
    case "clear":
      return typeof value.reason === "string";
    case "command":
      return ["fit", "expandAll", "collapseAll", "export"].includes(value.command as string);
    default:
      return false;
  }
}
