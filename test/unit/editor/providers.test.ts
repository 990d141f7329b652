// The code action and hover providers' logic, against a fake of the few VS Code classes they build.
import { describe, expect, it, vi } from "vitest";

vi.mock("vscode", async () => await import("./fakeVscode"));

const { analyzeSource, applyEdits } = await import("../../../src/editor/analysis/index");
const { DocumentAnalyses } = await import("../../../src/editor/static/documents");
const { StaticCodeActions } = await import("../../../src/editor/static/codeActions");
const { StaticHover } = await import("../../../src/editor/static/hover");
const { toDiagnostic } = await import("../../../src/editor/static/convert");
const fake = await import("./fakeVscode");

const PROGRAM = `import { tensor } from "gradscope";\nconst w = tensor([1], { requiresGrad: true });\nconst y = w.mul(2);\ny.requiresGrad = false;\n`;

/** Just enough of a TextDocument for the providers. */
function textDocument(text: string) {
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((match) => match.index! + 1)];
  const positionAt = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return new fake.Position(line, offset - lineStarts[line]);
  };
  const offsetAt = (position: { line: number; character: number }) => lineStarts[position.line] + position.character;
  return {
    uri: { scheme: "file", toString: () => "file:///program.ts" },
    version: 1, languageId: "typescript", fileName: "/program.ts", isClosed: false,
    getText: () => text, positionAt, offsetAt,
    getWordRangeAtPosition: (position: { line: number; character: number }) => {
      const offset = offsetAt(position);
      let start = offset;
      let end = offset;
      while (start > 0 && /\w/.test(text[start - 1])) start--;
      while (end < text.length && /\w/.test(text[end])) end++;
      return start === end ? undefined : new fake.Range(positionAt(start), positionAt(end));
    },
  };
}

describe("StaticCodeActions", () => {
  it("answers our diagnostics with the analysis' fixes, preferred first, diagnostic attached", () => {
    const document = textDocument(PROGRAM);
    const analyses = new DocumentAnalyses(() => analyzeSource);
    const [finding] = analyses.get(document)!.findings;
    const diagnostic = toDiagnostic(finding, document.uri as never);
    expect(diagnostic.source).toBe("Gradscope");
    expect(diagnostic.code).toBe("nonLeafRequiresGrad");
    expect(diagnostic.severity).toBe(fake.DiagnosticSeverity.Warning);
    const foreign = new fake.Diagnostic(diagnostic.range, "something else", fake.DiagnosticSeverity.Error);
    const actions = new StaticCodeActions(analyses).provideCodeActions(document as never, diagnostic.range as never, { diagnostics: [diagnostic, foreign] } as never);
    expect(actions.map((action) => [action.title, action.isPreferred])).toEqual([
      ["Use a detached copy from here on: `y = y.detach()`", true],
      ["Detach `y` where it is created (line 3)", false],
    ]);
    expect(actions[0].kind).toBe(fake.CodeActionKind.QuickFix);
    expect(actions[0].diagnostics).toEqual([diagnostic]);
    // The workspace edit, applied, is the analysis' fix.
    const edits = (actions[0].edit as unknown as InstanceType<typeof fake.WorkspaceEdit>).replacements.map((replacement) => ({
      start: document.offsetAt(replacement.range.start), end: document.offsetAt(replacement.range.end), newText: replacement.newText,
    }));
    expect(applyEdits(PROGRAM, edits)).toBe(PROGRAM.replace("const y", "let y").replace("y.requiresGrad = false;", "y = y.detach();"));
  });
});

describe("StaticHover", () => {
  it("describes tensor variables while not paused, and stays out of the debugger's way when paused", () => {
    const document = textDocument(PROGRAM);
    const analyses = new DocumentAnalyses(() => analyzeSource);
    let paused = false;
    const hover = new StaticHover(analyses, () => paused);
    const onY = document.positionAt(PROGRAM.lastIndexOf("y.requiresGrad"));
    const shown = hover.provideHover(document as never, onY as never);
    expect((shown?.contents as unknown as { value: string }).value).toBe(
      "**Gradscope** (before running): `y`: the result of `mul` at line 3: not a leaf (requires grad because it is computed from `w`, which requires grad); its .grad stays null after backward() unless you call `y.retainGrad()` first.",
    );
    paused = true;
    expect(hover.provideHover(document as never, onY as never)).toBeUndefined();
  });

  it("says nothing where analysis knows nothing", () => {
    const document = textDocument(PROGRAM);
    const hover = new StaticHover(new DocumentAnalyses(() => analyzeSource), () => false);
    expect(hover.provideHover(document as never, document.positionAt(PROGRAM.indexOf("import")) as never)).toBeUndefined();
  });
});

describe("isGradscopeDebugPaused", async () => {
  const { isGradscopeDebugPaused } = await import("../../../src/editor/static/debugState");

  it("is true only while a Gradscope session has a focused stack frame", () => {
    fake.debug.activeStackItem = undefined;
    expect(isGradscopeDebugPaused()).toBe(false);
    fake.debug.activeStackItem = new fake.DebugThread({ type: "gradscope" }, 1);
    expect(isGradscopeDebugPaused()).toBe(false);
    fake.debug.activeStackItem = new fake.DebugStackFrame({ type: "node" }, 1, 1);
    expect(isGradscopeDebugPaused()).toBe(false);
    fake.debug.activeStackItem = new fake.DebugStackFrame({ type: "gradscope" }, 1, 1);
    expect(isGradscopeDebugPaused()).toBe(true);
    fake.debug.activeStackItem = undefined;
  });
});
