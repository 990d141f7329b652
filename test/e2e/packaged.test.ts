/**
 * The packaged extension: `npm run package`'s vsce run makes the .vsix, code-server installs it offline, and
 * with only that installed copy (no development path) the editor warns on the non-leaf example
 * and F5 debugs an example to completion.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// @ts-expect-error plain ESM helper without type declarations
import { installExtension, startCodeServer } from "../../scripts/vscode/codeServer.mjs";
import { launchChromiumContext } from "../../scripts/chromium.mjs";
import { openFile, REPO_ROOT, shot, SHOTS_DIR } from "./support/workbenchPage";

const root = REPO_ROOT;

let work: string;
let server: { url: string; stop(): void };
let context: BrowserContext;
let page: Page;

describe("the packaged .vsix in code-server", () => {
  beforeAll(async () => {
    mkdirSync(SHOTS_DIR, { recursive: true });
    work = mkdtempSync(path.join(os.tmpdir(), "gradscope-vsix-"));
    const vsix = path.join(work, "gradscope.vsix");
    // dist/ is already built by npm test; package it as `npm run package` does (without re-minifying).
    execFileSync(process.execPath, [path.join(root, "scripts", "package.mjs"), "--no-build", "--out", vsix], { cwd: root, stdio: "pipe" });
    const extensionsDir = path.join(work, "extensions");
    installExtension(vsix, extensionsDir);
    expect(readdirSync(extensionsDir).some((name) => name.startsWith("gradscope.gradscope-"))).toBe(true);
    server = await startCodeServer({ extensionsDir });
    context = await launchChromiumContext(path.join(work, "chromium"), { viewport: { width: 1500, height: 950 } });
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
    await openFile(page, "non-leaf-mistake.ts");
    await page.waitForSelector(".squiggly-warning", { timeout: 60_000 });

    // F5 runs the configuration selected in Run and Debug: launch.json's first, the linear regression.
    await page.keyboard.press("F5");
    const console = page.locator(".repl");
    await console.filter({ hasText: /Process exited with code 0/ }).first().waitFor({ timeout: 90_000 });
    expect(await console.first().textContent()).toMatch(/learned w = 2\.9\d\d \(true 3\)/);
    await shot(page, "packaged-vsix");
  }, 240_000);
});
