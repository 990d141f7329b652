/**
 * The hover while no Gradscope session is paused: what static analysis knows about a tensor
 * variable. While paused, the debug adapter's evaluate-based hover answers instead.
 */
import * as vscode from "vscode";
import type { DocumentAnalyses } from "./documents";

export class StaticHover implements vscode.HoverProvider {
  constructor(private readonly analyses: DocumentAnalyses, private readonly isDebugPaused: () => boolean) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (this.isDebugPaused()) return undefined;
    const wordRange = document.getWordRangeAtPosition(position);
    if (!wordRange) return undefined;
    const description = this.analyses.get(document)?.describeAt(document.offsetAt(wordRange.start));
    if (!description) return undefined;
    const markdown = new vscode.MarkdownString(`**Gradscope** (before running): ${description}`);
    return new vscode.Hover(markdown, wordRange);
  }
}
