/**
 * Inline values while paused: the variables declared in view up to the stopped line, looked
 * up in the paused frame; tensors then read as their grad status
 * (`Tensor[2, 3] float32 · leaf · requiresGrad · grad ∅`) at the end of their lines.
 */
import * as vscode from "vscode";

const DECLARATION = /\b(?:const|let|var)\s+(?:\{([^}]*)\}|\[([^\]]*)\]|([A-Za-z_$][\w$]*))/g;

export class TensorInlineValues implements vscode.InlineValuesProvider {
  provideInlineValues(document: vscode.TextDocument, viewPort: vscode.Range, context: vscode.InlineValueContext): vscode.InlineValue[] {
    const values: vscode.InlineValue[] = [];
    const lastLine = Math.min(context.stoppedLocation.end.line, viewPort.end.line);
    for (let line = viewPort.start.line; line <= lastLine; line++) {
      const text = document.lineAt(line).text;
      for (const match of text.matchAll(DECLARATION)) {
        const names = (match[1] ?? match[2] ?? match[3] ?? "").split(",").map((n) => n.split(":").pop()!.split("=")[0]!.trim());
        for (const name of names) {
          if (!/^[A-Za-z_$][\w$]*$/.test(name)) continue;
          const column = text.indexOf(name, match.index);
          values.push(new vscode.InlineValueVariableLookup(new vscode.Range(line, column, line, column + name.length), name, false));
        }
      }
    }
    return values;
  }
}
