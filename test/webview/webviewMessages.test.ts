// The host's validators for what the webview posts, and the page HTML's security policy.
import { describe, expect, it } from "vitest";
import { isHostToWebviewMessage, parseWebviewMessage, MAX_EXPORT_CHARS } from "../../src/protocol/webviewMessages";
import { contentSecurityPolicy, renderGraphPageHtml } from "../../src/graph/pageHtml";
import { createNonce } from "../../src/graph/nonce";
import { exportBytes, WebviewMessageRouter } from "../../src/graph/webviewMessageRouter";
import { readFileSync } from "node:fs";

const location = { path: "/workspace/train.ts", line: 12, column: 3 };

describe("parseWebviewMessage", () => {
  it("accepts each well-formed message", () => {
    expect(parseWebviewMessage({ type: "ready" })).toEqual({ ok: true, message: { type: "ready" } });
    expect(parseWebviewMessage({ type: "reveal", nodeId: "f1", location })).toEqual({ ok: true, message: { type: "reveal", nodeId: "f1", location } });
    expect(parseWebviewMessage({ type: "export", format: "dot", content: "digraph g {}", suggestedName: "graph.dot" }).ok).toBe(true);
    expect(parseWebviewMessage({ type: "export", format: "svg", content: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', suggestedName: "g.svg" }).ok).toBe(true);
    expect(parseWebviewMessage({ type: "export", format: "png", content: "data:image/png;base64,iVBORw0KGgo=", suggestedName: "g.png" }).ok).toBe(true);
    const error = parseWebviewMessage({ type: "error", message: "x".repeat(10_000) });
    expect(error.ok && error.message.type === "error" && error.message.message.length).toBe(4000);
  });

  it.each([
    ["not an object", "reveal"],
    ["null", null],
    ["an array", [{ type: "ready" }]],
    ["an unknown type", { type: "runCommand", command: "workbench.action.terminal.new" }],
    ["extra fields on ready", { type: "ready", extra: 1 }],
    ["reveal without location", { type: "reveal", nodeId: "f1" }],
    ["reveal with line 0", { type: "reveal", nodeId: "f1", location: { ...location, line: 0 } }],
    ["reveal with fractional line", { type: "reveal", nodeId: "f1", location: { ...location, line: 1.5 } }],
    ["reveal with a string line", { type: "reveal", nodeId: "f1", location: { ...location, line: "12" } }],
    ["reveal with an empty path", { type: "reveal", nodeId: "f1", location: { ...location, path: "" } }],
    ["reveal with a NUL in the path", { type: "reveal", nodeId: "f1", location: { ...location, path: "/a\u0000b" } }],
    ["reveal with extra location fields", { type: "reveal", nodeId: "f1", location: { ...location, command: "x" } }],
    ["reveal with an empty node id", { type: "reveal", nodeId: "", location }],
    ["export of an unknown format", { type: "export", format: "pdf", content: "%PDF", suggestedName: "g.pdf" }],
    ["png export that is not a PNG data URL", { type: "export", format: "png", content: "data:text/html;base64,PGI+", suggestedName: "g.png" }],
    ["svg export that is not SVG", { type: "export", format: "svg", content: "<html><script>", suggestedName: "g.svg" }],
    ["dot export that is not a digraph", { type: "export", format: "dot", content: "rm -rf /", suggestedName: "g.dot" }],
    ["export with a path in the name", { type: "export", format: "dot", content: "digraph g {}", suggestedName: "../../.bashrc.dot" }],
    ["export whose name does not match the format", { type: "export", format: "dot", content: "digraph g {}", suggestedName: "g.svg" }],
    ["export over the size limit", { type: "export", format: "dot", content: "digraph g {" + "x".repeat(MAX_EXPORT_CHARS), suggestedName: "g.dot" }],
    ["error without text", { type: "error" }],
  ])("rejects %s", (_label, value) => {
    const result = parseWebviewMessage(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.length).toBeGreaterThan(0);
  });
});

describe("isHostToWebviewMessage", () => {
  it("recognises host messages and ignores strays", () => {
    const snapshot = { version: 1, generation: 1, rootIds: [], nodes: [], edges: [], backward: { active: false, currentNodeId: null, doneNodeIds: [], pendingNodeIds: [] }, truncated: false, totalNodes: 0 };
    expect(isHostToWebviewMessage({ type: "snapshot", snapshot })).toBe(true);
    expect(isHostToWebviewMessage({ type: "backwardState", generation: 2, backward: snapshot.backward })).toBe(true);
    expect(isHostToWebviewMessage({ type: "command", command: "fit" })).toBe(true);
    expect(isHostToWebviewMessage({ type: "snapshot", snapshot: { version: 2 } })).toBe(false);
    expect(isHostToWebviewMessage({ type: "command", command: "eval" })).toBe(false);
    expect(isHostToWebviewMessage("hello")).toBe(false);
  });
});

describe("graph page HTML", () => {
  const nonce = createNonce();
  const html = renderGraphPageHtml({
    cspSource: "https://file+.vscode-resource.vscode-cdn.net",
    nonce,
    scriptUri: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/graph.js",
    workerUri: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/layoutWorker.js",
    styleUri: "https://file+.vscode-resource.vscode-cdn.net/ext/media/graph/graph.css",
  });

  it("has a strict content security policy with the nonce", () => {
    const csp = contentSecurityPolicy("https://res.example", nonce);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(csp).toContain("img-src https://res.example data:");
    expect(csp).toContain("worker-src blob:");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(html).toContain('http-equiv="Content-Security-Policy"');
  });

  it("only runs nonce'd scripts and loads nothing from other origins", () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBe(1);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    for (const url of urls) expect(url === "data:," || url.startsWith("https://file+.vscode-resource.vscode-cdn.net/")).toBe(true);
  });

  it("refuses a weak nonce and makes fresh ones", () => {
    expect(() => renderGraphPageHtml({ cspSource: "x", nonce: "abc", scriptUri: "", workerUri: "", styleUri: "" })).toThrow();
    expect(createNonce()).not.toBe(createNonce());
  });
});

describe("WebviewMessageRouter (what the host acts on)", () => {
  function makeRouter() {
    const calls: string[] = [];
    const router = new WebviewMessageRouter({
      ready: () => calls.push("ready"),
      reveal: (m) => void calls.push(`reveal ${m.nodeId} ${m.location.path}:${m.location.line}`),
      export: (m) => void calls.push(`export ${m.format} ${exportBytes(m).length}`),
      log: (m) => calls.push(`log ${m}`),
    });
    const snapshot = JSON.parse(readFileSync(new URL("../fixtures/graphs/mlp.json", import.meta.url), "utf8"));
    router.rememberSnapshot(snapshot);
    return { router, calls };
  }

  it("reveals only locations that the graph it was sent contains", async () => {
    const { router, calls } = makeRouter();
    expect(await router.handle({ type: "reveal", nodeId: "f_addmm2", location: { path: "/workspace/examples/train.ts", line: 17, column: 5 } })).toBe(true);
    expect(await router.handle({ type: "reveal", nodeId: "f_addmm2", location: { path: "/etc/passwd", line: 1, column: 1 } })).toBe(false);
    expect(calls[0]).toBe("reveal f_addmm2 /workspace/examples/train.ts:17");
    expect(calls[1]).toMatch(/^log .*not in the graph/);
    router.rememberSnapshot(undefined);
    expect(await router.handle({ type: "reveal", nodeId: "f_addmm2", location: { path: "/workspace/examples/train.ts", line: 17, column: 5 } })).toBe(false);
  });

  it("drops malformed messages with a log line and decodes exports", async () => {
    const { router, calls } = makeRouter();
    expect(await router.handle({ type: "reveal", nodeId: 5 })).toBe(false);
    expect(await router.handle({ type: "ready" })).toBe(true);
    expect(await router.handle({ type: "export", format: "png", content: "data:image/png;base64,iVBORw0KGgo=", suggestedName: "g.png" })).toBe(true);
    expect(calls).toEqual([expect.stringMatching(/^log graph webview: ignored an invalid message/), "ready", "export png 8"]);
  });
});
