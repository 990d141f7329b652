/** Keeps the Problems panel in step with open documents: analyse on open and (debounced) on change, clear on close. */
import * as vscode from "vscode";
import { KeyedDebouncer } from "./debounce";
import { ANALYSED_LANGUAGES, type DocumentAnalyses } from "./documents";
import { toDiagnostic } from "./convert";

/** Long enough to skip most keystrokes, short enough to feel live (analysis itself takes a few ms). */
const TYPING_DELAY_MS = 150;

export class StaticDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("gradscope-static");
  private readonly debouncer = new KeyedDebouncer<string>(TYPING_DELAY_MS);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analyses: DocumentAnalyses) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.refresh(document)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        // Output channels and logs change constantly: drop them before scheduling anything.
        if (!ANALYSED_LANGUAGES.includes(document.languageId)) return;
        this.debouncer.schedule(document.uri.toString(), () => this.refresh(document));
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.debouncer.cancel(document.uri.toString());
        this.analyses.forget(document);
        this.collection.delete(document.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration("gradscope.diagnostics.enabled")) {
          for (const document of vscode.workspace.textDocuments) this.refresh(document);
        }
      }),
    ];
    for (const document of vscode.workspace.textDocuments) this.refresh(document);
  }

  private refresh(document: vscode.TextDocument): void {
    if (document.isClosed) return;
    // analyses.get decides (once) whether the document is one we analyse: undefined when not, or when the analysis failed.
    const analysis = diagnosticsEnabled() ? this.analyses.get(document) : undefined;
    if (!analysis) {
      this.collection.delete(document.uri);
      return;
    }
    this.collection.set(document.uri, analysis.findings.map((finding) => toDiagnostic(finding, document.uri)));
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}

/** The `gradscope.diagnostics.enabled` setting (on by default). */
function diagnosticsEnabled(): boolean {
  return vscode.workspace.getConfiguration("gradscope").get<boolean>("diagnostics.enabled", true);
}
