/**
 * The few VS Code API classes the editor glue constructs, as plain data holders, so the
 * providers' logic can be unit-tested; the real API is exercised by the integration suite.
 */
export class Position {
  constructor(readonly line: number, readonly character: number) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(startLine: number | Position, startCharacter: number | Position, endLine?: number, endCharacter?: number) {
    if (startLine instanceof Position && startCharacter instanceof Position) {
      this.start = startLine;
      this.end = startCharacter;
    } else {
      this.start = new Position(startLine as number, startCharacter as number);
      this.end = new Position(endLine!, endCharacter!);
    }
  }
  isEqual(other: Range): boolean {
    return this.start.line === other.start.line && this.start.character === other.start.character &&
      this.end.line === other.end.line && this.end.character === other.end.character;
  }
}

export enum DiagnosticSeverity { Error = 0, Warning = 1, Information = 2, Hint = 3 }

export class Diagnostic {
  source?: string;
  code?: string;
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(readonly range: Range, readonly message: string, readonly severity: DiagnosticSeverity) {}
}

export class Location {
  constructor(readonly uri: unknown, readonly range: Range) {}
}

export class DiagnosticRelatedInformation {
  constructor(readonly location: Location, readonly message: string) {}
}

export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind("quickfix");
  constructor(readonly value: string) {}
}

export class WorkspaceEdit {
  readonly replacements: Array<{ uri: unknown; range: Range; newText: string }> = [];
  replace(uri: unknown, range: Range, newText: string): void {
    this.replacements.push({ uri, range, newText });
  }
}

export class CodeAction {
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
  edit?: WorkspaceEdit;
  constructor(readonly title: string, readonly kind: CodeActionKind) {}
}

export class MarkdownString {
  constructor(readonly value: string) {}
}

export class Hover {
  constructor(readonly contents: MarkdownString, readonly range: Range) {}
}

export class DebugStackFrame {
  constructor(readonly session: { type: string }, readonly threadId: number, readonly frameId: number) {}
}

export class DebugThread {
  constructor(readonly session: { type: string }, readonly threadId: number) {}
}

/** Tests set `debug.activeStackItem` directly. */
export const debug: { activeStackItem: DebugStackFrame | DebugThread | undefined } = { activeStackItem: undefined };
