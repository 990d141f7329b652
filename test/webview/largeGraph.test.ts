// Large generated graphs in real Chromium: 20,000 nodes open collapsed, 2,000 fully drawn.
import { describe, expect, it } from "vitest";
import { copyFileSync, mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { backwardOrder, generateLargeSnapshot } from "../fixtures/graphs/generateLarge.mjs";
import { REPO_ROOT, sendAndWait } from "./support/graphPage.mjs";
import { graphPagesInChromium, OUTPUT_DIR } from "./support/graphPages";
import { THEMES } from "./themes";

const openPage = graphPagesInChromium();

const count = (page: Page, selector: string) => page.locator(selector).count();
const nodeCount = (page: Page) => count(page, "g.node");

async function waitForRenders(page: Page, atLeast: number) {
  await page.waitForFunction((n) => Number(document.body.dataset.renderCount ?? "0") >= n, atLeast, { timeout: 60_000 });
}

// Real browser work on a shared 2-core machine: generous time limits, no timing assertions.
describe("large graphs", { timeout: 240_000 }, () => {
  it("opens 20,000 nodes collapsed and expands on demand", async () => {
    const { page, consoleErrors } = await openPage(THEMES.dark);
    const snapshot = generateLargeSnapshot(20_000);
    expect(snapshot.nodes.length).toBeGreaterThanOrEqual(19_990);
    await sendAndWait(page, { type: "snapshot", snapshot });
    const shown = await nodeCount(page);
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThanOrEqual(400);
    expect(await page.textContent("#status")).toContain(`of ${snapshot.nodes.length} nodes shown`);
    // The repeated blocks are collapsed into ranges, each labelled with its index span.
    const ranges = await page.$$eval("g.node.group-range text.title", (ts) => ts.map((t) => t.textContent));
    expect(ranges.length).toBeGreaterThan(10);
    expect(ranges[0]).toMatch(/^▸ blocks\.\[0–\d+\] ×\d+$/);

    // Expand the first range, then the first block in it.
    await page.click('g.node[data-node-id^="g:blocks#0-"]');
    await waitForRenders(page, 2);
    const afterRange = await nodeCount(page);
    expect(afterRange).toBeGreaterThan(shown);
    expect(await count(page, 'g.node[data-node-id="g:blocks.0"]')).toBe(1);
    await page.click('g.node[data-node-id="g:blocks.0"]');
    await waitForRenders(page, 3);
    expect(await nodeCount(page)).toBeGreaterThan(afterRange);
    // One level at a time: blocks.0's own functions, and its fc1 and fc2 still collapsed.
    expect(await count(page, 'g.node[data-node-id="g:blocks.0.fc1"], g.node[data-node-id="g:blocks.0.fc2"]')).toBe(2);
    expect(await count(page, 'g.node[data-node-id^="g:blocks.0"]')).toBe(2);

    // Backward progress shows on whatever stands for the current node, here a collapsed range.
    const order = backwardOrder(snapshot);
    const step = Math.floor(order.length / 2);
    await sendAndWait(
      page,
      { type: "backwardState", generation: 2, backward: { active: true, currentNodeId: order[step], doneNodeIds: order.slice(0, step), pendingNodeIds: order.slice(step + 1) } },
      "restyleCount",
    );
    expect(await count(page, "g.node.bw-current")).toBe(1);
    expect(await page.$eval("g.node.bw-current", (n) => n.classList.contains("kind-group"))).toBe(true);
    expect(await count(page, "g.node.bw-done")).toBeGreaterThan(0);
    expect(await count(page, "g.node.bw-pending")).toBeGreaterThan(0);
    await page.screenshot({ path: `${OUTPUT_DIR}/graph-20000-collapsed.png` });

    // "Expand all" on 20,000 nodes opens whole levels only while the view stays drawable.
    await page.click('[data-action="expand-all"]');
    await waitForRenders(page, 4);
    const expandedCount = await nodeCount(page);
    expect(expandedCount).toBeGreaterThan(1000);
    expect(expandedCount).toBeLessThanOrEqual(6000);
    expect(await page.textContent("#status")).toContain("expanded as far as 6000 nodes");
    await page.click('[data-action="collapse-all"]');
    await waitForRenders(page, 5);
    expect(await nodeCount(page)).toBe(5); // the blocks group plus loss, its function and the input's pair
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("draws all 2,000 nodes of a mid-sized graph and restyles it per step", async () => {
    const { page } = await openPage(THEMES.light);
    const snapshot = generateLargeSnapshot(2_000);
    await sendAndWait(page, { type: "snapshot", snapshot });
    expect(await nodeCount(page)).toBe(snapshot.nodes.length);
    expect(await count(page, "path.edge")).toBe(snapshot.edges.length);
    expect(await page.textContent("#status")).toContain("layout fast");
    const before = await page.$$eval("g.node", (ns) => ns.map((n) => n.getAttribute("transform")).join(";"));
    const order = backwardOrder(snapshot);
    for (const step of [10, 11, 10]) {
      await sendAndWait(
        page,
        { type: "backwardState", generation: 2 + step, backward: { active: true, currentNodeId: order[step], doneNodeIds: order.slice(0, step), pendingNodeIds: order.slice(step + 1) } },
        "restyleCount",
      );
      expect(await page.$$eval("g.node.bw-current", (ns) => ns.map((n) => n.getAttribute("data-node-id")))).toEqual([order[step]]);
      expect(await count(page, "g.node.bw-done")).toBe(step);
    }
    expect(await page.$$eval("g.node", (ns) => ns.map((n) => n.getAttribute("transform")).join(";"))).toBe(before);

    // A step far down the graph (far outside the first view): the view follows it.
    const far = order.length - 3;
    const inView = () =>
      page.evaluate(() => {
        const node = document.querySelector("g.node.bw-current")!.getBoundingClientRect();
        const view = document.getElementById("graph")!.getBoundingClientRect();
        return node.top >= view.top && node.bottom <= view.bottom && node.left >= view.left && node.right <= view.right;
      });
    await sendAndWait(
      page,
      { type: "backwardState", generation: 100, backward: { active: true, currentNodeId: order[far], doneNodeIds: order.slice(0, far), pendingNodeIds: order.slice(far + 1) } },
      "restyleCount",
    );
    await page.waitForFunction(() => {
      const node = document.querySelector("g.node.bw-current")!.getBoundingClientRect();
      const view = document.getElementById("graph")!.getBoundingClientRect();
      return node.top >= view.top && node.bottom <= view.bottom;
    });
    expect(await inView()).toBe(true);
    await page.close();
  });

  it("keeps a screenshot of a large graph", async () => {
    const { page } = await openPage(THEMES.dark);
    const snapshot = generateLargeSnapshot(20_000);
    await sendAndWait(page, { type: "snapshot", snapshot });
    await page.click('g.node[data-node-id^="g:blocks#0-"]');
    await waitForRenders(page, 2);
    await page.click('g.node[data-node-id="g:blocks.1"]');
    await waitForRenders(page, 3);
    const order = backwardOrder(snapshot);
    const step = 20;
    await sendAndWait(
      page,
      { type: "backwardState", generation: 2, backward: { active: true, currentNodeId: order[step], doneNodeIds: order.slice(0, step), pendingNodeIds: order.slice(step + 1) } },
      "restyleCount",
    );
    await page.mouse.move(0, 0);
    await page.waitForTimeout(400); // let the follow animation land before the picture
    await page.screenshot({ path: `${OUTPUT_DIR}/graph-large.png` });
    mkdirSync(`${REPO_ROOT}docs/screenshots`, { recursive: true });
    copyFileSync(`${OUTPUT_DIR}/graph-large.png`, `${REPO_ROOT}docs/screenshots/graph-large.png`);
    await page.close();
  });
});
