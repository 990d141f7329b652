/**
 * End-to-end: Playwright drives the real VS Code workbench (code-server) in Chromium, the way a
 * user would: start debugging an example from the Run and Debug view, read the Variables view,
 * step into the backward pass, see the graph panel draw, see the editor warning on the non-leaf
 * example. Screenshots go to test-output/e2e/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// @ts-expect-error plain ESM helper without type declarations
import { startCodeServer, workbenchUrl } from "../../scripts/vscode/codeServer.mjs";
import { launchChromiumContext } from "../../scripts/chromium.mjs";
import { openFile as openFileIn, REPO_ROOT, shot as shotOf, SHOTS_DIR } from "./support/workbenchPage";

const root = REPO_ROOT;

interface Server {
  url: string;
  port: number;
  stop(): void;
}

let server: Server;
let context: BrowserContext;
let page: Page;
let profile: string;

const shot = (name: string) => shotOf(page, name);
const openFile = (name: string) => openFileIn(page, name);

/** 1-based line of the first occurrence of `text` in an example. */
function lineOf(example: string, text: string): number {
  const lines = readFileSync(path.join(root, "examples", example), "utf8").split("\n");
  const index = lines.findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`"${text}" not in ${example}`);
  return index + 1;
}

async function goToLine(line: number): Promise<void> {
  await page.keyboard.press("Control+G");
  await page.keyboard.type(String(line));
  await page.keyboard.press("Enter");
}

/**
 * Focus the editor, go to the line and press F9. On a cold workbench the first key presses can
 * land before the editor takes focus, so it looks for the glyph and presses once more if needed.
 */
async function toggleBreakpointAt(line: number): Promise<void> {
  const glyph = page.locator(".glyph-margin-widgets [class*='codicon-debug-breakpoint']").first();
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.locator(".monaco-editor .view-lines").first().click();
    await goToLine(line);
    await page.waitForTimeout(500);
    await page.keyboard.press("F9");
    if (await glyph.waitFor({ timeout: 15_000 }).then(() => true, () => false)) return;
  }
  await shot("failed-breakpoint");
  throw new Error(`no breakpoint glyph after pressing F9 on line ${line}`);
}

function rowWithText(pane: "debug-variables" | "debug-call-stack", pattern: RegExp) {
  return page.locator(`.${pane} .monaco-list-row`).filter({ hasText: pattern }).first();
}

async function graphFrame(): Promise<Frame> {
  for (let attempt = 0; attempt < 120; attempt++) {
    for (const frame of page.frames()) {
      if (await frame.locator("[data-node-id]").count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(500);
  }
  throw new Error("the graph panel never drew nodes");
}

describe("Gradscope in the real workbench", () => {
  beforeAll(async () => {
    mkdirSync(SHOTS_DIR, { recursive: true });
    server = await startCodeServer();
    profile = mkdtempSync(path.join(os.tmpdir(), "gradscope-e2e-"));
    context = await launchChromiumContext(profile, { viewport: { width: 1500, height: 950 } });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(workbenchUrl(server, { folder: path.join(root, "examples"), extensionPath: root }));
    await page.waitForSelector(".monaco-workbench", { timeout: 90_000 });
    await page.waitForFunction(() => document.title.includes("Extension Development Host"), undefined, { timeout: 90_000 });
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    server?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("debugs an example from Run and Debug: Variables show grad status, Step Into enters backward, the graph draws", async () => {
    await openFile("linear-regression.ts");
    await toggleBreakpointAt(lineOf("linear-regression.ts", "loss.backward()"));

    await page.keyboard.press("Control+Shift+D");
    // The green button beside the configuration picker (launch.json's first entry is selected).
    const start = page.locator(".codicon-debug-start[role='button']").first();
    await start.waitFor({ timeout: 30_000 });
    await page.locator("select.monaco-select-box, .start-debug-action-item").filter({ hasText: /Linear regression/ }).first().waitFor({ timeout: 30_000 });
    await start.click();
    await page.locator(".debug-call-stack .monaco-list-row").first().waitFor({ timeout: 90_000 });
    // Top-level consts live in the Local scope, which VS Code shows collapsed: open it as a user would.
    await rowWithText("debug-variables", /^Local$/).click();

    const w = rowWithText("debug-variables", /\bw\b.*Tensor\[1, 1\] float32 · leaf · requiresGrad · grad ∅/);
    await w.waitFor({ timeout: 30_000 });
    await shot("1-variables");
    await w.click();
    await page.keyboard.press("ArrowRight");
    const requiresGrad = rowWithText("debug-variables", /requiresGrad\s*[:=]\s*true/);
    await requiresGrad.waitFor({ timeout: 15_000 });
    expect(await requiresGrad.textContent()).toMatch(/requiresGrad\s*[:=]\s*true/);

    const frame = await graphFrame();
    expect(await frame.locator("[data-node-id]").count()).toBeGreaterThan(3);
    await shot("2-graph");

    await page.keyboard.press("F11"); // Step Into: the first backward node
    const node = rowWithText("debug-call-stack", /MeanBackward0/);
    await node.waitFor({ timeout: 30_000 });
    await shot("3-backward-step");

    await page.keyboard.press("Shift+F5");
    // The debug toolbar goes away when the session has ended.
    await page.locator(".debug-toolbar").waitFor({ state: "hidden", timeout: 30_000 }).catch(() => undefined);
  }, 300_000);

  it("warns in the editor about the non-leaf mistake", async () => {
    await openFile("non-leaf-mistake.ts");
    await page.waitForSelector(".squiggly-warning", { timeout: 60_000 });
    await page.keyboard.press("Control+Shift+M"); // Problems panel
    const problem = page.locator(".markers-panel .monaco-list-row").filter({ hasText: /leaf variables|non-leaf/ }).first();
    await problem.waitFor({ timeout: 30_000 });
    await shot("4-non-leaf-warning");
  }, 120_000);
});
