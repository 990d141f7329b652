/** Helpers for driving the VS Code workbench in Chromium the way a user would. */
import type { Page } from "playwright-core";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
/** Screenshots of the end-to-end runs (kept with the test output). */
export const SHOTS_DIR = path.join(REPO_ROOT, "test-output", "e2e");

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
}

/** Quick Open (Ctrl+P) an example; retried once, since focus may sit in a panel or a closing widget. */
export async function openFile(page: Page, name: string): Promise<void> {
  const tab = page.locator(`.tab.active[aria-label*="${name}"]`);
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    if (!(await input.waitFor({ timeout: 10_000 }).then(() => true, () => false))) continue;
    await input.fill(name);
    await page.locator(".quick-input-list .monaco-list-row").filter({ hasText: name }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press("Enter");
    if (await tab.waitFor({ timeout: 15_000 }).then(() => true, () => false)) return;
  }
  await shot(page, `failed-open-${name}`);
  throw new Error(`could not open ${name} with Quick Open`);
}
