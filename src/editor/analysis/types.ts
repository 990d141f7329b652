/**
 * The analysis' public vocabulary. Offsets are UTF-16 offsets into the analysed text (what
 * VS Code's `document.positionAt` takes); lines and columns are 0-based like VS Code's.
 */

export interface TextPosition {
  readonly offset: number;
  readonly line: number;
  readonly character: number;
}

export interface TextRange {
  readonly start: TextPosition;
  readonly end: TextPosition;
}

/** One replacement of [start, end) by newText; an insertion has start === end. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface QuickFix {
  readonly title: string;
  /** The fix VS Code applies with "Fix" / Ctrl+. Enter; exactly one per finding. */
  readonly isPreferred: boolean;
  /** Non-overlapping edits, all against the analysed text. */
  readonly edits: readonly TextEdit[];
}

export type FindingCode = "nonLeafRequiresGrad" | "nonLeafGrad";

export interface RelatedLocation {
  readonly range: TextRange;
  readonly message: string;
}

export interface Finding {
  readonly code: FindingCode;
  readonly severity: "warning";
  readonly range: TextRange;
  readonly message: string;
  /** Where the non-leaf was created, so the editor can link to it. */
  readonly related: readonly RelatedLocation[];
  readonly fixes: readonly QuickFix[];
}
