/**
 * Which documents we analyse, and one analysis per document version shared by the
 * diagnostics, the quick fixes and the hover. No `vscode` import: documents are described
 * structurally, so this is unit-testable.
 */
import type { SourceAnalysis } from "../analysis/index";

export interface AnalysableDocument {
  readonly uri: { readonly scheme: string; toString(): string };
  readonly version: number;
  readonly languageId: string;
  readonly fileName: string;
  getText(): string;
}

/** The issue asks for TypeScript files; add "javascript" here to cover plain JS programs too. */
export const ANALYSED_LANGUAGES: readonly string[] = ["typescript", "typescriptreact"];

/**
 * Documents the user edits. Others (`git:` diffs, `output:`, review comments…) would
 * duplicate every warning in the Problems panel.
 */
export const ANALYSED_SCHEMES: readonly string[] = ["file", "untitled", "vscode-remote", "vscode-vfs"];

/**
 * Programs that never mention "gradscope" cannot create tensors we recognise, so we skip
 * them without parsing (most TypeScript files a user opens are not Gradscope programs).
 */
export function shouldAnalyse(document: AnalysableDocument): boolean {
  return ANALYSED_LANGUAGES.includes(document.languageId) && ANALYSED_SCHEMES.includes(document.uri.scheme) &&
    document.getText().includes("gradscope");
}

export type Analyse = (text: string, fileName: string) => SourceAnalysis;

/** Caches the latest analysis of each open document, keyed by URI and version. */
export class DocumentAnalyses {
  private readonly latest = new Map<string, { version: number; analysis: SourceAnalysis | undefined }>();

  constructor(private readonly analyse: () => Analyse) {}

  /** undefined for documents we do not analyse (or whose analysis failed). */
  get(document: AnalysableDocument): SourceAnalysis | undefined {
    const key = document.uri.toString();
    const cached = this.latest.get(key);
    if (cached && cached.version === document.version) return cached.analysis;
    let analysis: SourceAnalysis | undefined;
    if (shouldAnalyse(document)) {
      try {
        analysis = this.analyse()(document.getText(), document.fileName);
      } catch (error) {
        // A bug in the analysis must never break editing: no warnings rather than an error.
        console.error(`[gradscope] static analysis failed for ${key}:`, error);
      }
    }
    this.latest.set(key, { version: document.version, analysis });
    return analysis;
  }

  forget(document: AnalysableDocument): void {
    this.latest.delete(document.uri.toString());
  }
}
