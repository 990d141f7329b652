/**
 * The packaged extension: `vsce package` makes the .vsix, code-server installs it offline, and
 * with only that installed copy (no development path) the editor warns on the non-leaf example
 * and F5 debugs an example to completion.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// @ts-expect-error plain ESM helper without type declarations
import { installExtension, startCodeServer } from "../../scripts/vscode/codeServer.mjs";

const root = path.resolve(__dirname, "../..");
const shots = path.join(root, "test-output", "e2e");
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let work: string;
let server: { url: string; stop(): void };
let context: BrowserContext;
let page: Page;

describe("the packaged .vsix in code-server", () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    work = mkdtempSync(path.join(os.tmpdir(), "gradscope-vsix-"));
    const vsix = path.join(work, "gradscope.vsix");
    // dist/ is already built by npm test; package it as `npm run package` does (without re-minifying).
    execFileSync(process.execPath, [path.join(root, "node_modules", "@vscode", "vsce", "vsce"), "package", "--target", "linux-x64", "--no-rewrite-relative-links", "--allow-missing-repository", "--out", vsix], { cwd: root, stdio: "pipe" });
    const extensionsDir = path.join(work, "extensions");
    installExtension(vsix, extensionsDir);
    expect(readdirSync(extensionsDir).some((name) => name.startsWith("gradscope.gradscope-"))).toBe(true);
    server = await startCodeServer({ extensionsDir });
    context = await chromium.launchPersistentContext(path.join(work, "chromium"), {
      executablePath: "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1500, height: 950 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}/?folder=${encodeURIComponent(path.join(root, "examples"))}`);
    await page.waitForSelector(".monaco-workbench", { timeout: 90_000 });
  }, 240_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    server?.stop();
    if (work && existsSync(work)) rmSync(work, { recursive: true, force: true });
  });

  it("warns on the non-leaf example and debugs an example to completion", async () => {
    const input = page.locator(".quick-input-widget input");
    for (let attempt = 0; attempt < 3 && !(await page.locator('.tab.active[aria-label*="non-leaf-mistake.ts"]').count()); attempt++) {
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+P");
      await input.waitFor({ timeout: 10_000 }).catch(() => undefined);
      await input.fill("non-leaf-mistake.ts").catch(() => undefined);
      await page.locator(".quick-input-list .monaco-list-row").filter({ hasText: "non-leaf-mistake.ts" }).first().waitFor({ timeout: 15_000 }).catch(() => undefined);
      await page.keyboard.press("Enter");
      await page.waitForTimeout(1000);
    }
    await page.waitForSelector(".squiggly-warning", { timeout: 60_000 });

    // F5 runs the configuration selected in Run and Debug: launch.json's first, the linear regression.
    await page.keyboard.press("F5");
    const console = page.locator(".repl");
    await console.filter({ hasText: /Process exited with code 0/ }).first().waitFor({ timeout: 90_000 });
    expect(await console.first().textContent()).toMatch(/learned w = 2\.9\d\d \(true 3\)/);
    await page.screenshot({ path: path.join(shots, "packaged-vsix.png") });
  }, 240_000);
});
