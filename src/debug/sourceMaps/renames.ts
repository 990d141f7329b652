/**
 * Identifiers the bundler renamed. esbuild hoists every module into one scope and renames
 * clashing names (`scaled` -> `scaled2`); its source map records the original name on
 * each renamed token. From those we build, per original file, generated -> original, so
 * the Variables view shows the names the user wrote and expressions the user types can be
 * rewritten back before V8 evaluates them.
 */
import { TraceMap, eachMapping, type SourceMapInput } from "@jridgewell/trace-mapping";
import * as path from "node:path";

export interface RenameTable {
  /** generated name -> name in the source */
  toOriginal: Map<string, string>;
  /** name in the source -> generated name */
  toGenerated: Map<string, string>;
}

export function computeRenames(generatedCode: string, map: SourceMapInput): Map<string, RenameTable> {
  const lines = generatedCode.split("\n");
  const tables = new Map<string, RenameTable>();
  eachMapping(new TraceMap(map), (m) => {
    if (!m.name || !m.source) return;
    const line = lines[m.generatedLine - 1];
    if (line === undefined) return;
    const generated = /^[A-Za-z_$][\w$]*/.exec(line.slice(m.generatedColumn))?.[0];
    if (!generated || generated === m.name) return;
    const source = path.normalize(m.source);
    let table = tables.get(source);
    if (!table) tables.set(source, (table = { toOriginal: new Map(), toGenerated: new Map() }));
    table.toOriginal.set(generated, m.name);
    table.toGenerated.set(m.name, generated);
  });
  return tables;
}

/**
 * Rewrites free identifiers of an expression typed by the user into the generated names.
 * Member names (after `.`), object keys and string contents are left alone.
 */
export function rewriteExpression(expression: string, table: RenameTable | undefined): string {
  if (!table || table.toGenerated.size === 0) return expression;
  let out = "";
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      const end = skipString(expression, i);
      out += expression.slice(i, end);
      i = end;
      continue;
    }
    const ident = /^[A-Za-z_$][\w$]*/.exec(expression.slice(i))?.[0];
    if (ident && !/[\w$]/.test(expression[i - 1] ?? "")) {
      const before = expression.slice(0, i).trimEnd();
      const after = expression.slice(i + ident.length).trimStart();
      const isMember = before.endsWith(".") && !before.endsWith("..");
      const isKey = after.startsWith(":") && /[{,]$/.test(before);
      out += !isMember && !isKey ? (table.toGenerated.get(ident) ?? ident) : ident;
      i += ident.length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i + 1;
  }
  return text.length;
}
