/**
 * The engine's runtime warnings (reading .grad of a non-leaf, ...) arrive from the adapter as
 * output events carrying the user's source and line; they are shown in the Problems panel
 * there, and cleared when the next Gradscope session starts.
 */
import * as vscode from "vscode";

interface OutputEventBody {
  category?: string;
  output?: string;
  source?: { path?: string };
  line?: number;
  column?: number;
  data?: { gradscopeWarning?: boolean };
}

export class RuntimeWarnings implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("gradscope-runtime");
  private readonly byFile = new Map<string, vscode.Diagnostic[]>();

  onOutput(_session: vscode.DebugSession, body: unknown): void {
    const output = body as OutputEventBody | undefined;
    if (!output?.data?.gradscopeWarning || !output.source?.path || !output.line) return;
    const line = Math.max(0, output.line - 1);
    const column = Math.max(0, (output.column ?? 1) - 1);
    const message = (output.output ?? "").trim().replace(/^.*?UserWarning:\s*/, "");
    const diagnostic = new vscode.Diagnostic(new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER), message, vscode.DiagnosticSeverity.Warning);
    diagnostic.source = "Gradscope (runtime)";
    const file = output.source.path;
    const list = this.byFile.get(file) ?? [];
    if (list.some((d) => d.range.start.line === line && d.message === message)) return;
    list.push(diagnostic);
    this.byFile.set(file, list);
    this.collection.set(vscode.Uri.file(file), list);
  }

  /** Everything currently shown, for tests. */
  entries(): Array<{ file: string; line: number; message: string }> {
    return [...this.byFile].flatMap(([file, list]) => list.map((d) => ({ file, line: d.range.start.line + 1, message: d.message })));
  }

  clear(): void {
    this.byFile.clear();
    this.collection.clear();
  }

  dispose(): void {
    this.collection.dispose();
  }
}
