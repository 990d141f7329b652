/**
 * The editor features that work before running: non-leaf warnings with quick fixes, and a
 * hover saying what static analysis knows. src/extension.ts calls this once on activation.
 */
import * as vscode from "vscode";
import * as path from "node:path";
import { ANALYSED_LANGUAGES, ANALYSED_SCHEMES, type Analyse, DocumentAnalyses } from "./documents";
import { lazyAnalysis } from "./loadAnalysis";
import { StaticDiagnostics } from "./diagnostics";
import { StaticCodeActions } from "./codeActions";
import { StaticHover } from "./hover";

export { isGradscopeDebugPaused } from "./debugState";

export interface StaticEditorOptions {
  /** True while a Gradscope debug session is stopped (then the debugger's hover answers); see isGradscopeDebugPaused. */
  readonly isDebugPaused: () => boolean;
  /** For tests: analyse in-process instead of loading dist/editor/analysis.js. */
  readonly analyse?: Analyse;
}

export function registerStaticEditorFeatures(context: vscode.ExtensionContext, options: StaticEditorOptions): void {
  const analyse = options.analyse;
  const analyses = new DocumentAnalyses(analyse ? () => analyse : lazyAnalysis(path.join(context.extensionPath, "dist")));
  const selector: vscode.DocumentSelector = ANALYSED_LANGUAGES.flatMap((language) => ANALYSED_SCHEMES.map((scheme) => ({ language, scheme })));
  context.subscriptions.push(
    new StaticDiagnostics(analyses),
    vscode.languages.registerCodeActionsProvider(selector, new StaticCodeActions(analyses), StaticCodeActions.metadata),
    vscode.languages.registerHoverProvider(selector, new StaticHover(analyses, options.isDebugPaused)),
  );
}
