/** Quick fixes for our diagnostics: `.detach()` for requiresGrad on a non-leaf, `retainGrad()` for `.grad`. */
import * as vscode from "vscode";
import type { DocumentAnalyses } from "./documents";
import { isDiagnosticOf, toCodeAction } from "./convert";

export class StaticCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly analyses: DocumentAnalyses) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const findings = this.analyses.get(document)?.findings ?? [];
    const actions: vscode.CodeAction[] = [];
    // VS Code passes the diagnostics under the cursor; answer for those that are ours.
    for (const diagnostic of context.diagnostics) {
      const finding = findings.find((candidate) => isDiagnosticOf(diagnostic, candidate));
      if (finding) for (const fix of finding.fixes) actions.push(toCodeAction(fix, document, diagnostic));
    }
    return actions;
  }
}
