// The graph page in real Chromium, fed snapshot fixtures: what it draws and how it reacts.
import { describe, expect, it } from "vitest";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import type { BackwardPassState, GraphSnapshot } from "../../src/protocol/graphSnapshot";
import { parseWebviewMessage, type WebviewToHostMessage } from "../../src/protocol/webviewMessages";
import { REPO_ROOT, sendAndWait } from "./support/graphPage.mjs";
import { graphPagesInChromium, OUTPUT_DIR } from "./support/graphPages";
import { THEMES, type ThemeName } from "./themes";

const fixture = (name: string): GraphSnapshot => JSON.parse(readFileSync(`${REPO_ROOT}test/fixtures/graphs/${name}.json`, "utf8"));

const openPage = graphPagesInChromium();

// A generous ELK budget: these tests check what is drawn, not how fast (on a loaded
// machine ELK's first run can exceed the default budget, and the page would fall back).
async function open(theme: ThemeName = "light", elkBudgetMs = 60_000) {
  return openPage(THEMES[theme], { elkBudgetMs });
}

async function showSnapshot(page: Page, snapshot: GraphSnapshot) {
  await sendAndWait(page, { type: "snapshot", snapshot });
}

const count = (page: Page, selector: string) => page.locator(selector).count();
const classesOf = async (page: Page, id: string) => ((await page.locator(`g.node[data-node-id="${id}"]`).getAttribute("class")) ?? "").split(" ");
const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: WebviewToHostMessage[] }).__posted);
const transforms = (page: Page) => page.$$eval("g.node", (nodes) => nodes.map((n) => `${n.getAttribute("data-node-id")}@${n.getAttribute("transform")}`).sort());

/** Every message the page posts must pass the host's validator. */
async function lastPosted(page: Page, type: WebviewToHostMessage["type"]) {
  const messages = (await posted(page)).filter((m) => m.type === type);
  const message = messages[messages.length - 1];
  expect(message, `no ${type} message posted`).toBeDefined();
  const parsed = parseWebviewMessage(message);
  expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
  return message;
}

const MLP_BACKWARD_ORDER = ["f_mse", "f_addmm2", "f_acc_b2", "f_t2", "f_acc_w2", "f_relu", "f_addmm1", "f_acc_b1", "f_t1", "f_acc_w1"];
function backwardAt(step: number): BackwardPassState {
  return {
    active: true,
    currentNodeId: MLP_BACKWARD_ORDER[step],
    doneNodeIds: MLP_BACKWARD_ORDER.slice(0, step),
    pendingNodeIds: MLP_BACKWARD_ORDER.slice(step + 1),
  };
}

// Real browser work on a shared 2-core machine: generous time limits, no timing assertions.
describe("small graphs", { timeout: 120_000 }, () => {
  it("draws every node and edge of the MLP with the role classes", async () => {
    const { page, consoleErrors, externalRequests } = await open();
    const snapshot = fixture("mlp");
    await showSnapshot(page, snapshot);
    expect(await count(page, "g.node")).toBe(snapshot.nodes.length);
    expect(await count(page, "path.edge")).toBe(snapshot.edges.length);
    expect(await count(page, "path.edge-saved")).toBe(snapshot.edges.filter((e) => e.kind === "saved").length);
    expect(await count(page, "g.node.kind-function")).toBe(10);
    expect(await classesOf(page, "t_w1")).toEqual(expect.arrayContaining(["kind-tensor", "role-parameter", "is-leaf", "requires-grad", "grad-ok"]));
    expect(await classesOf(page, "t_loss")).toEqual(expect.arrayContaining(["role-output", "non-leaf"]));
    expect(await classesOf(page, "t_out")).toEqual(expect.arrayContaining(["role-intermediate", "non-leaf"]));
    expect(await classesOf(page, "t_h")).toEqual(expect.arrayContaining(["role-saved"]));
    expect(await classesOf(page, "t_x")).toEqual(expect.arrayContaining(["role-constant", "is-leaf"]));
    expect(await classesOf(page, "t_x")).not.toContain("requires-grad");
    // Labels: module path for parameters, shape, and the data | grad line.
    const w1 = page.locator('g.node[data-node-id="t_w1"]');
    expect(await w1.locator("text.title").textContent()).toBe("fc1.weight");
    expect(await w1.locator("text.subtitle").textContent()).toBe("[8, 3] float32");
    expect(await w1.locator("text.detail").textContent()).toMatch(/\| ‖0\.031‖$/);
    // Expanded modules are framed.
    expect(await page.$$eval("g.cluster", (cs) => cs.map((c) => c.getAttribute("data-group")).sort())).toEqual(["g:fc1", "g:fc2"]);
    // The layout came from ELK in the worker (a blob: worker under the page's CSP).
    expect(await page.textContent("#status")).toContain("layout elk");
    expect(externalRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("draws the first graph at once while ELK's worker starts, then ELK's layout in its place", async () => {
    const { page, consoleErrors } = await openPage(THEMES.light, { elkBudgetMs: 60_000, delayWorkerMs: 3_000 });
    const snapshot = fixture("mlp");
    await showSnapshot(page, snapshot);
    // Drawn before the worker's script has even arrived.
    expect(await page.evaluate(() => document.body.dataset.layoutWorker)).toBeUndefined();
    expect(await count(page, "g.node")).toBe(snapshot.nodes.length);
    expect(await page.textContent("#status")).toMatch(/layout fast while ELK starts \d+ ms/);
    const drawnFirst = await transforms(page);
    await page.waitForFunction(() => Number(document.body.dataset.renderCount ?? "0") >= 2, undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => document.body.dataset.layoutWorker)).toBe("ready");
    expect(await page.textContent("#status")).toContain("layout elk");
    expect(await count(page, "g.node")).toBe(snapshot.nodes.length);
    expect(await transforms(page)).not.toEqual(drawnFirst);
    const renders = await page.evaluate(() =>
      (window as unknown as { __gradscope: { stats: Array<{ kind: string; layoutAlgorithm?: string; provisional?: boolean }> } }).__gradscope.stats
        .filter((s) => s.kind === "render")
        .map((s) => [s.layoutAlgorithm, s.provisional === true]),
    );
    expect(renders).toEqual([["fast", true], ["elk", false]]);
    // The next stop reuses ELK's layout: no third layout, positions kept.
    const elkPositions = await transforms(page);
    await sendAndWait(page, { type: "snapshot", snapshot: { ...snapshot, generation: snapshot.generation + 1 } }, "restyleCount");
    expect(await transforms(page)).toEqual(elkPositions);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("colours leaf, parameter, frozen and NaN/Inf nodes distinctly", async () => {
    const { page } = await open();
    await showSnapshot(page, fixture("nan"));
    for (const id of ["t_x", "t_s", "f_acc_x", "f_sqrt"]) expect(await classesOf(page, id)).toEqual(expect.arrayContaining(["nonfinite", "grad-nonfinite"]));
    for (const id of ["t_w", "f_log", "f_mul"]) expect(await classesOf(page, id)).not.toContain("nonfinite");
    const stroke = (id: string) => page.$eval(`g.node[data-node-id="${id}"] rect.body`, (r) => getComputedStyle(r).stroke);
    expect(await stroke("t_x")).toBe("rgb(229, 20, 0)"); // --vscode-charts-red, light theme
    expect(await stroke("t_w")).toBe("rgb(26, 133, 255)"); // --vscode-charts-blue: leaf requiring grad
    expect(await page.locator('g.node[data-node-id="t_x"] text.detail').textContent()).toContain("NaN");

    await showSnapshot(page, fixture("frozen"));
    expect(await classesOf(page, "t_bw")).toEqual(expect.arrayContaining(["role-frozen", "is-leaf"]));
    expect(await classesOf(page, "t_bw")).not.toContain("requires-grad");
    expect(await page.$eval('g.node[data-node-id="t_bw"] rect.body', (r) => getComputedStyle(r).strokeDasharray)).not.toBe("none");
    expect(await classesOf(page, "t_x")).toContain("grad-vanishing");
    expect(await classesOf(page, "t_hw")).toContain("grad-exploding");
    expect(await classesOf(page, "t_hb")).toContain("grad-large");
    const fill = (id: string) => page.$eval(`g.node[data-node-id="${id}"] rect.health`, (r) => getComputedStyle(r).fill);
    expect(new Set([await fill("t_x"), await fill("t_hw"), await fill("t_hb")]).size).toBe(3);
    await page.close();
  });

  it("draws the diamond with one AccumulateGrad joining both paths", async () => {
    const { page } = await open();
    const snapshot = fixture("diamond");
    await showSnapshot(page, snapshot);
    expect(await count(page, "g.node")).toBe(7);
    expect(await count(page, "path.edge")).toBe(7);
    expect(await count(page, 'path.edge[data-to="f_acc"]')).toBe(2);
    // Gradient flows downwards: the output is above the leaf.
    const y = (id: string) => page.$eval(`g.node[data-node-id="${id}"]`, (n) => n.getBoundingClientRect().top);
    expect(await y("t_out")).toBeLessThan(await y("f_add"));
    expect(await y("f_acc")).toBeLessThan(await y("t_x"));
    await page.close();
  });

  it("moves the highlight with backward steps, back on step back, without moving nodes", async () => {
    const { page } = await open();
    const snapshot = fixture("mlp");
    await showSnapshot(page, { ...snapshot, backward: backwardAt(0) });
    const before = await transforms(page);
    const current = () => page.$$eval("g.node.bw-current", (ns) => ns.map((n) => n.getAttribute("data-node-id")));
    expect(await current()).toEqual(["f_mse"]);
    expect(await count(page, "g.node.bw-pending")).toBe(MLP_BACKWARD_ORDER.length - 1);

    await sendAndWait(page, { type: "backwardState", generation: 2, backward: backwardAt(1) }, "restyleCount");
    expect(await current()).toEqual(["f_addmm2"]);
    expect(await classesOf(page, "f_mse")).toContain("bw-done");
    expect(await count(page, "path.edge.flow-active")).toBe(4); // f_addmm2's outgoing edges

    await sendAndWait(page, { type: "backwardState", generation: 3, backward: backwardAt(6) }, "restyleCount");
    expect(await current()).toEqual(["f_addmm1"]);
    expect(await count(page, "g.node.bw-done")).toBe(6);

    await sendAndWait(page, { type: "backwardState", generation: 4, backward: backwardAt(5) }, "restyleCount"); // step back
    expect(await current()).toEqual(["f_relu"]);
    expect(await classesOf(page, "f_addmm1")).toContain("bw-pending");
    expect(await transforms(page)).toEqual(before);

    // Next stop, same graph with new values: labels change, layout does not.
    const renders = await page.evaluate(() => document.body.dataset.renderCount);
    const next = fixture("mlp");
    for (const n of next.nodes) if (n.kind === "tensor") n.dataSummary = "mean 9.99";
    await sendAndWait(page, { type: "snapshot", snapshot: { ...next, generation: 5 } }, "restyleCount");
    expect(await page.evaluate(() => document.body.dataset.renderCount)).toBe(renders);
    expect(await page.locator('g.node[data-node-id="t_w1"] text.detail').textContent()).toContain("mean 9.99");
    expect(await transforms(page)).toEqual(before);
    expect(await current()).toEqual([]);
    await page.close();
  });

  it("posts reveal on click and shows details on hover", async () => {
    const { page } = await open();
    await showSnapshot(page, fixture("mlp"));
    await page.click('g.node[data-node-id="f_addmm2"]');
    expect(await lastPosted(page, "reveal")).toEqual({ type: "reveal", nodeId: "f_addmm2", location: { path: "/workspace/examples/train.ts", line: 17, column: 5 } });
    expect(await classesOf(page, "f_addmm2")).toContain("focused");

    await page.hover('g.node[data-node-id="t_w1"]');
    const tooltip = page.locator("#tooltip");
    await tooltip.waitFor({ state: "visible" });
    const text = await tooltip.textContent();
    for (const expected of ["shape[8, 3]", "dtypefloat32", "requiresGradtrue", "isLeaftrue", "norm 0.031", "modulefc1.weight", "forwardtrain.ts:8:14"]) {
      expect(text).toContain(expected);
    }
    await page.close();
  });

  it("searches by name, navigates by keyboard, zooms and fits", async () => {
    const { page } = await open();
    await showSnapshot(page, fixture("mlp"));
    await page.focus("#graph");
    await page.keyboard.press("ArrowDown"); // focuses the first node (the output)
    await page.keyboard.press("ArrowDown"); // follows the gradient edge
    const focused = () => page.$$eval("g.node.focused", (ns) => ns.map((n) => n.getAttribute("data-node-id")));
    expect(await focused()).toEqual(["f_mse"]);
    await page.keyboard.press("ArrowUp");
    expect(await focused()).toEqual(["t_loss"]);
    expect(await page.textContent("#announce")).toBe("loss, [] float32, 0.4132 | ∅");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(((await lastPosted(page, "reveal")) as { nodeId: string }).nodeId).toBe("f_mse");

    await page.fill("#search", "weight");
    expect(await count(page, "g.node.search-match")).toBe(2);
    expect(await page.textContent("#search-count")).toBe("2 found");
    await page.press("#search", "Enter");
    expect(await page.$$eval("g.node.focused", (ns) => ns.map((n) => n.getAttribute("data-node-id")))).toEqual(["t_w2"]);
    await page.press("#search", "Escape");
    expect(await count(page, "g.node.search-match")).toBe(0);

    const scale = () => page.$eval("#layer", (g) => Number(/scale\(([\d.]+)\)/.exec(g.getAttribute("transform")!)![1]));
    const fitted = await scale();
    await page.click('[data-action="zoom-in"]');
    expect(await scale()).toBeCloseTo(fitted * 1.25, 3);
    await page.focus("#graph");
    await page.keyboard.press("-");
    expect(await scale()).toBeCloseTo(fitted, 3);
    await page.mouse.move(600, 400);
    await page.mouse.wheel(0, -300);
    expect(await scale()).toBeGreaterThan(fitted * 1.25);
    await page.keyboard.press("f"); // fit animates; wait for it to land
    await page.waitForFunction((target) => {
      const m = /scale\(([\d.]+)\)/.exec(document.getElementById("layer")!.getAttribute("transform")!);
      return Math.abs(Number(m![1]) - target) < 1e-3;
    }, fitted);
    await page.close();
  });

  it("collapses and expands modules", async () => {
    const { page } = await open();
    await showSnapshot(page, fixture("mlp"));
    expect(await count(page, "g.node")).toBe(18);
    await page.click('[data-action="collapse-all"]');
    await page.waitForFunction(() => document.querySelectorAll("g.node").length === 8);
    expect(await page.$$eval("g.node.kind-group", (ns) => ns.map((n) => n.getAttribute("data-node-id")).sort())).toEqual(["g:fc1", "g:fc2"]);
    expect(await page.locator('g.node[data-node-id="g:fc1"] text.subtitle').textContent()).toBe("6 nodes");
    // Edges into and out of a collapsed module are merged onto it.
    expect(await count(page, 'path.edge[data-to="g:fc1"]')).toBe(1);

    await page.click('g.node[data-node-id="g:fc1"]');
    await page.waitForFunction(() => document.querySelectorAll("g.node").length === 13);
    expect(await count(page, 'g.cluster[data-group="g:fc1"]')).toBe(1);
    await page.click('g.cluster[data-group="g:fc1"] text.cluster-label');
    await page.waitForFunction(() => document.querySelectorAll("g.node").length === 8);

    // Backward state of hidden nodes shows on their group.
    await sendAndWait(page, { type: "backwardState", generation: 2, backward: backwardAt(6) }, "restyleCount");
    expect(await classesOf(page, "g:fc1")).toContain("bw-current");
    expect(await classesOf(page, "g:fc2")).toContain("bw-done");

    await page.click('[data-action="expand-all"]');
    await page.waitForFunction(() => document.querySelectorAll("g.node").length === 18);
    await page.close();
  });

  it("exports valid SVG, PNG and DOT", async () => {
    const { page } = await open();
    const snapshot = fixture("mlp");
    await showSnapshot(page, snapshot);

    await page.click('[data-action="export-svg"]');
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === "export"));
    const svg = (await lastPosted(page, "export")) as Extract<WebviewToHostMessage, { type: "export" }>;
    expect(svg.format).toBe("svg");
    expect(svg.suggestedName).toBe("backward-graph.svg");
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      return {
        error: doc.querySelector("parsererror")?.textContent ?? null,
        root: doc.documentElement.nodeName,
        nodes: doc.querySelectorAll("g.node").length,
        edges: doc.querySelectorAll("path.edge").length,
        paramFill: doc.querySelector('g.node[data-node-id="t_w1"] rect.body')?.getAttribute("fill") ?? null,
        scripts: doc.querySelectorAll("script").length,
      };
    }, svg.content);
    expect(parsed).toMatchObject({ error: null, root: "svg", nodes: snapshot.nodes.length, edges: snapshot.edges.length, scripts: 0 });
    expect(parsed.paramFill).toMatch(/^(rgb|color\(srgb)/); // resolved theme colour, standalone

    await page.click('[data-action="export-dot"]');
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ format?: string }> }).__posted.some((m) => m.format === "dot"));
    const dot = ((await lastPosted(page, "export")) as { content: string }).content;
    expect(dot).toMatch(/^digraph gradscope \{\n/);
    expect(dot.trimEnd().endsWith("}")).toBe(true);
    expect(dot.match(/^ {2}"[^"]+" \[label=/gm)?.length).toBe(snapshot.nodes.length);
    expect(dot.match(/^ {2}"[^"]+" -> "[^"]+"/gm)?.length).toBe(snapshot.edges.length);
    expect(dot).toContain('"f_addmm2" -> "t_h" [style=dashed, arrowhead=none];');

    await page.click('[data-action="export-png"]');
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ format?: string }> }).__posted.some((m) => m.format === "png"), undefined, { timeout: 20_000 });
    const png = ((await lastPosted(page, "export")) as { content: string }).content;
    const bytes = Buffer.from(png.slice("data:image/png;base64,".length), "base64");
    expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(100); // IHDR width
    await page.close();
  });

  it("follows VS Code's light, dark and high-contrast themes", async () => {
    const looks: Record<string, { background: string; paramFill: string; strokeWidth: string }> = {};
    for (const theme of ["light", "dark", "high-contrast"] as const) {
      const { page } = await open(theme);
      await showSnapshot(page, { ...fixture("mlp"), backward: backwardAt(6) });
      looks[theme] = await page.evaluate(() => ({
        background: getComputedStyle(document.getElementById("graph")!).backgroundColor,
        paramFill: getComputedStyle(document.querySelector('g.node[data-node-id="t_w1"] rect.body')!).fill,
        strokeWidth: getComputedStyle(document.querySelector('g.node[data-node-id="t_w1"] rect.body')!).strokeWidth,
      }));
      await page.screenshot({ path: `${OUTPUT_DIR}/graph-small-${theme}.png` });
      await page.close();
    }
    expect(looks.light.background).toBe("rgb(255, 255, 255)");
    expect(looks.dark.background).toBe("rgb(31, 31, 31)");
    expect(looks["high-contrast"].background).toBe("rgb(0, 0, 0)");
    expect(new Set(Object.values(looks).map((l) => l.paramFill)).size).toBe(3);
    expect(looks["high-contrast"].paramFill).toBe("rgb(0, 0, 0)");
    expect(looks["high-contrast"].strokeWidth).toBe("2px");
  });

  it("pans by dragging, shows truncation, empty graphs and session end, and obeys host commands", async () => {
    const { page } = await open();
    const snapshot = fixture("diamond");
    await showSnapshot(page, { ...snapshot, truncated: true, totalNodes: 5000 });
    expect(await page.isVisible("#banner")).toBe(true);
    expect(await page.textContent("#banner")).toContain("Showing 7 of 5000 nodes");

    const translate = () => page.$eval("#layer", (g) => /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute("transform")!)!.slice(1).map(Number));
    const [x0, y0] = await translate();
    await page.mouse.move(100, 300);
    await page.mouse.down();
    await page.mouse.move(160, 340, { steps: 4 });
    await page.mouse.up();
    const [x1, y1] = await translate();
    expect(x1 - x0).toBeCloseTo(60, 0);
    expect(y1 - y0).toBeCloseTo(40, 0);

    await page.evaluate(() => window.postMessage({ type: "command", command: "export", format: "dot" }, "*"));
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ format?: string }> }).__posted.some((m) => m.format === "dot"));

    await page.evaluate(() => window.postMessage({ type: "clear", reason: "The debug session ended." }, "*"));
    await page.waitForFunction(() => document.querySelectorAll("g.node").length === 0);
    expect(await page.isVisible("#empty")).toBe(true);
    expect(await page.textContent("#empty")).toBe("The debug session ended.");

    await showSnapshot(page, { ...snapshot, nodes: [], edges: [], rootIds: [], totalNodes: 0 });
    expect(await count(page, "g.node")).toBe(0);
    expect(await page.isVisible("#empty")).toBe(true);
    await showSnapshot(page, snapshot);
    expect(await count(page, "g.node")).toBe(7);
    expect(await page.isVisible("#empty")).toBe(false);
    await page.close();
  });

  it("falls back to the fast layout when ELK runs past its budget", async () => {
    const { page } = await open("light", 1);
    const snapshot = fixture("mlp");
    await showSnapshot(page, snapshot);
    expect(await page.textContent("#status")).toContain("layout fast (ELK ran long)");
    expect(await count(page, "g.node")).toBe(snapshot.nodes.length);
    expect(await count(page, "path.edge")).toBe(snapshot.edges.length);
    // The cancelled worker was replaced: the next layout still works.
    await page.click('[data-action="collapse-all"]');
    await page.waitForFunction(() => document.querySelectorAll("g.node").length === 8);
    await page.close();
  });

  it("keeps a screenshot of a small graph mid-backward", async () => {
    const { page } = await open("light");
    await showSnapshot(page, { ...fixture("mlp"), backward: backwardAt(6) });
    await page.hover('g.node[data-node-id="t_w2"]');
    await page.locator("#tooltip").waitFor({ state: "visible" });
    await page.screenshot({ path: `${OUTPUT_DIR}/graph-small.png` });
    mkdirSync(`${REPO_ROOT}docs/screenshots`, { recursive: true });
    copyFileSync(`${OUTPUT_DIR}/graph-small.png`, `${REPO_ROOT}docs/screenshots/graph-small.png`);
    await page.close();
  });
});
