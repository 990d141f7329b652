/**
 * Imported names in a CommonJS program file. sucrase turns `import { scale } from "./helper"`
 * into `var _helper = require('./helper')` and every read of `scale` into `_helper.scale`, so
 * `scale` is no variable V8 knows. The source map records each rewritten token at the user's
 * name; from it we build, per file, name -> expression: an expression the user types or hovers
 * that fails on such a name is evaluated again rewritten (a local of the same name, which V8
 * finds first, wins as in the source), and the names sucrase made up stay out of the Variables view.
 */
import { TraceMap, eachMapping, type SourceMapInput } from "@jridgewell/trace-mapping";

export interface ImportBindings {
  /** The user's name -> the expression that reads it in the generated code. */
  expressions: Map<string, string>;
  /** Names declared only in the generated code (`_helper`, `_interopRequireDefault`). */
  hidden: Set<string>;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*/;
const MEMBER_READ = /^([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)/;

export function computeImportBindings(source: string, generated: string, map: SourceMapInput): ImportBindings {
  const sourceLines = source.split("\n");
  const generatedLines = generated.split("\n");
  const hidden = new Set<string>();
  for (const match of generated.matchAll(/\b(?:var|function)\s+(_[\w$]*)/g)) {
    if (!new RegExp(`(^|[^\\w$])${match[1]!.replace(/\$/g, "\\$")}($|[^\\w$])`).test(source)) hidden.add(match[1]!);
  }
  const expressions = new Map<string, string>();
  eachMapping(new TraceMap(map), (m) => {
    if (m.originalLine === null) return;
    const name = IDENTIFIER.exec(sourceLines[m.originalLine - 1]?.slice(m.originalColumn) ?? "")?.[0];
    const read = MEMBER_READ.exec(generatedLines[m.generatedLine - 1]?.slice(m.generatedColumn) ?? "");
    if (!name || !read || read[0] === name) return;
    // `_helper.scale` for `scale`, `_helper.greeting` for `greeting as hello`, `_x2.default` for a default import
    if (hidden.has(read[1]!)) expressions.set(name, read[0]);
  });
  return { expressions, hidden };
}

/** True when V8's error says the expression used an imported name it cannot see. */
export function missesImport(error: string | undefined, bindings: ImportBindings | undefined): boolean {
  const name = /^ReferenceError: ([\w$]+) is not defined/.exec(error ?? "")?.[1];
  return name !== undefined && bindings?.expressions.has(name) === true;
}

/**
 * Rewrites the free identifiers of an expression typed by the user into what they read in
 * the generated code. Member names (after `.`), object keys and string contents are left
 * alone; a shorthand property (`{ scale }`) keeps its key.
 */
export function rewriteExpression(expression: string, bindings: ImportBindings | undefined): string {
  if (!bindings || bindings.expressions.size === 0) return expression;
  let out = "";
  const brackets: string[] = [];
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      const end = skipString(expression, i);
      out += expression.slice(i, end);
      i = end;
      continue;
    }
    const ident = IDENTIFIER.exec(expression.slice(i))?.[0];
    if (ident && !/[\w$]/.test(expression[i - 1] ?? "")) {
      const before = expression.slice(0, i).trimEnd();
      const after = expression.slice(i + ident.length).trimStart();
      const isMember = before.endsWith(".") && !before.endsWith("..");
      const isKey = after.startsWith(":") && /[{,]$/.test(before);
      const replacement = isMember || isKey ? undefined : bindings.expressions.get(ident);
      const isShorthand = brackets.at(-1) === "{" && /[{,]$/.test(before) && /^[,}]/.test(after);
      out += replacement === undefined ? ident : isShorthand ? `${ident}: ${replacement}` : replacement;
      i += ident.length;
      continue;
    }
    if (ch === "{" || ch === "[" || ch === "(") brackets.push(ch);
    else if (ch === "}" || ch === "]" || ch === ")") brackets.pop();
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
