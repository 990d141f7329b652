/**
 * How a plain CDP RemoteObject reads in the Variables view, the way VS Code's JavaScript
 * debugger shows it: strings quoted, functions as `ƒ name`, objects by a short preview.
 */
import type { Protocol } from "devtools-protocol";

type RemoteObject = Protocol.Runtime.RemoteObject;
type ObjectPreview = Protocol.Runtime.ObjectPreview;

export function describeRemote(value: RemoteObject): string {
  switch (value.type) {
    case "undefined":
      return "undefined";
    case "string":
      return JSON.stringify(value.value);
    case "number":
    case "boolean":
    case "bigint":
    case "symbol":
      return value.description ?? value.unserializableValue ?? String(value.value);
    case "function":
      return describeFunction(value.description ?? "");
    case "object":
      if (value.subtype === "null") return "null";
      if (value.subtype === "error") return firstLine(value.description ?? "Error");
      if (value.preview) return describePreview(value.preview, value.className);
      return value.description ?? value.className ?? "Object";
  }
  return value.description ?? String(value.value);
}

export function isExpandable(value: RemoteObject): boolean {
  return (value.type === "object" && value.subtype !== "null" && value.objectId !== undefined) || (value.type === "function" && value.objectId !== undefined);
}

/** Array length from V8's description `Array(12)` / `Float32Array(12)`. */
export function arrayLength(value: RemoteObject): number | undefined {
  if (value.subtype !== "array" && value.subtype !== "typedarray") return undefined;
  const match = /\((\d+)\)$/.exec(value.description ?? "");
  return match ? Number(match[1]) : undefined;
}

function describeFunction(source: string): string {
  const cls = /^class\s+([\w$]+)/.exec(source);
  if (cls) return `class ${cls[1]}`;
  const fn = /^(async\s+)?(function\s*\*?\s*)?([\w$]*)\s*\(([^)]*)\)/.exec(source);
  if (fn) return `${fn[1] ?? ""}ƒ ${fn[3] || ""}(${fn[4]!.replace(/\s+/g, " ").trim()})`;
  return "ƒ (…)";
}

function describePreview(preview: ObjectPreview, className: string | undefined): string {
  const entries = preview.properties.map((p) => {
    const text = p.type === "string" ? JSON.stringify(p.value) : p.type === "object" && p.subtype !== "null" ? (p.value ?? "{…}") : (p.value ?? p.type);
    return preview.subtype === "array" || preview.subtype === "typedarray" ? text : `${p.name}: ${text}`;
  });
  const more = preview.overflow ? ", …" : "";
  if (preview.subtype === "array" || preview.subtype === "typedarray") {
    return `${preview.description ?? ""} [${entries.join(", ")}${more}]`.trim();
  }
  if (preview.subtype === "map" || preview.subtype === "set") return preview.description ?? className ?? "Map";
  const prefix = className && className !== "Object" ? `${className} ` : "";
  return `${prefix}{${entries.join(", ")}${more}}`;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
