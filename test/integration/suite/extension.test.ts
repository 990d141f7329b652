/**
 * Runs inside a real VS Code (code-server here, desktop VS Code where it can be downloaded):
 * the extension activates, debugs an example, shows grad status, analyses code statically,
 * repairs it with a quick fix and feeds the graph panel.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as vscode from "vscode";
import type { GradscopeExtensionApi } from "../../../src/extension";

const EXTENSION_ID = "gradscope.gradscope";

function examplesFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "the examples folder is open as the workspace");
  return folder.uri;
}

function exampleUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(examplesFolder(), name);
}

async function lineOf(uri: vscode.Uri, text: string): Promise<number> {
  const document = await vscode.workspace.openTextDocument(uri);
  for (let line = 0; line < document.lineCount; line++) if (document.lineAt(line).text.includes(text)) return line;
  throw new Error(`"${text}" not found in ${uri.fsPath}`);
}

/** Launches a Gradscope debug session on `program` and asserts that it started. */
async function launchExample(program: vscode.Uri, name: string): Promise<void> {
  const started = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(program), {
    type: "gradscope",
    request: "launch",
    name,
    program: program.fsPath,
  });
  assert.equal(started, true);
}

/** Resolves with the next `stopped` event of a Gradscope session (and the session). */
function nextStop(): Promise<vscode.DebugSession> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no stop within 60 s")), 60_000);
    const registration = vscode.debug.registerDebugAdapterTrackerFactory("gradscope", {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: { type?: string; event?: string }) => {
          if (message.type === "event" && message.event === "stopped") {
            clearTimeout(timer);
            registration.dispose();
            resolve(session);
          }
        },
      }),
    });
  });
}

function sessionEnded(session: vscode.DebugSession): Promise<void> {
  return new Promise((resolve) => {
    const listener = vscode.debug.onDidTerminateDebugSession((ended) => {
      if (ended.id === session.id) {
        listener.dispose();
        resolve();
      }
    });
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Gradscope's own static diagnostics (the source is spelled "Gradscope…"). */
function isStaticDiagnostic(d: vscode.Diagnostic): boolean {
  return /^gradscope/i.test(d.source ?? "");
}

interface DapVariable {
  name: string;
  value: string;
  variablesReference: number;
}

async function localVariables(session: vscode.DebugSession): Promise<DapVariable[]> {
  const { stackFrames } = await session.customRequest("stackTrace", { threadId: 1, startFrame: 0, levels: 1 });
  const { scopes } = await session.customRequest("scopes", { frameId: stackFrames[0].id });
  const all: DapVariable[] = [];
  for (const scope of scopes as Array<{ variablesReference: number; expensive?: boolean }>) {
    if (scope.expensive) continue;
    const { variables } = await session.customRequest("variables", { variablesReference: scope.variablesReference });
    all.push(...(variables as DapVariable[]));
  }
  return all;
}

describe("Gradscope in a real VS Code", () => {
  let api: GradscopeExtensionApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<GradscopeExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    api = await extension.activate();
  });

  afterEach(async () => {
    vscode.debug.breakpoints.length && vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
  });

  it("activates and registers its commands", async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes("gradscope.showGraph"));
    assert.ok(commands.includes("gradscope.debugCurrentFile"));
  });

  it("debugs an example, stops at a breakpoint and shows tensors' grad status; the graph panel gets a snapshot", async () => {
    const program = exampleUri("linear-regression.ts");
    const line = await lineOf(program, "loss.backward()");
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(program, new vscode.Position(line, 0)))]);
    const stopped = nextStop();
    await launchExample(program, "integration: linear regression");
    const session = await stopped;
    const { stackFrames } = await session.customRequest("stackTrace", { threadId: 1 });
    assert.equal(path.basename(stackFrames[0].source.path), "linear-regression.ts");
    assert.equal(stackFrames[0].line, line + 1);

    const variables = await localVariables(session);
    const w = variables.find((v) => v.name === "w");
    assert.ok(w, `w is among ${variables.map((v) => v.name).join(", ")}`);
    assert.match(w.value, /^Tensor\[1, 1\] float32 · leaf · requiresGrad · grad ∅/);
    const children = (await session.customRequest("variables", { variablesReference: w.variablesReference })).variables as DapVariable[];
    assert.deepEqual(
      ["requiresGrad", "isLeaf", "grad", "gradFn", "shape", "dtype", "data"].every((name) => children.some((c) => c.name === name)),
      true,
    );
    assert.equal(children.find((c) => c.name === "requiresGrad")!.value, "true");

    // The panel opens on the first stop (setting default) and receives the snapshot.
    const snapshot = await waitFor("a graph snapshot", () => api.graph.lastSnapshot ?? undefined);
    assert.ok(snapshot.nodes.length >= 3, `graph has ${snapshot.nodes.length} nodes`);
    const names = snapshot.nodes.map((n) => n.name).join(", ");
    assert.ok(snapshot.nodes.some((n) => n.kind === "function" && n.name === "MeanBackward0"), `graph nodes: ${names}`);
    assert.ok(snapshot.nodes.some((n) => n.kind === "tensor" && n.name === "w" && n.role === "leaf"));

    const ended = sessionEnded(session);
    await vscode.debug.stopDebugging(session);
    await ended;
  });

  it("warns in the editor about the non-leaf mistakes and the quick fix repairs them", async () => {
    const uri = exampleUri("non-leaf-mistake.ts");
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor("static diagnostics", () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => isStaticDiagnostic(d));
      return found.length >= 2 ? found : undefined;
    });
    const requiresGradLine = await lineOf(uri, "scaled.requiresGrad = false");
    const warning = diagnostics.find((d) => d.range.start.line === requiresGradLine);
    assert.ok(warning, "a warning on the requiresGrad assignment");
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /you can only change requires_grad flags of leaf variables/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, warning.range);
    const fix = actions.find((a) => a.kind?.value.startsWith("quickfix") && /detach/.test(a.title));
    assert.ok(fix?.edit, `a detach() quick fix among: ${actions.map((a) => a.title).join(" | ")}`);
    await vscode.workspace.applyEdit(fix.edit);
    await waitFor("the warning to go away", () =>
      vscode.languages.getDiagnostics(uri).some((d) => d.message.includes("requires_grad flags") && isStaticDiagnostic(d)) ? undefined : true,
    );
    await vscode.commands.executeCommand("workbench.action.files.revert");
  });

  it("shows the engine's runtime warnings in the Problems panel at the user's line", async () => {
    const program = exampleUri("non-leaf-mistake.ts");
    await launchExample(program, "integration: non-leaf mistake");
    const session = vscode.debug.activeDebugSession!;
    // The Autograd Errors filter is on by default: it stops at the requiresGrad line first.
    await waitFor("the session to end", async () => {
      if (vscode.debug.activeDebugSession?.id !== session.id) return true;
      await Promise.resolve(session.customRequest("continue", { threadId: 1 })).catch(() => undefined);
      return undefined;
    }, 60_000);
    const gradLine = (await lineOf(program, "scaled.grad")) + 1;
    const entry = await waitFor("a runtime warning", () =>
      api.runtimeWarnings.entries().find((e) => e.file === program.fsPath && e.line === gradLine),
    );
    assert.match(entry.message, /The \.grad attribute of a Tensor that is not a leaf Tensor is being accessed/);
    const shown = vscode.languages.getDiagnostics(program).find((d) => d.source === "Gradscope (runtime)");
    assert.ok(shown, "the warning is in the Problems panel");
    assert.equal(shown.range.start.line, gradLine - 1);
  });

  it("answers hovers on tensor variables while not debugging", async () => {
    const uri = exampleUri("non-leaf-mistake.ts");
    const line = await lineOf(uri, "const scaled = w.mul(2)");
    const document = await vscode.workspace.openTextDocument(uri);
    const column = document.lineAt(line).text.indexOf("scaled");
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", uri, new vscode.Position(line, column + 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    assert.match(text, /not a leaf/);
  });
});
