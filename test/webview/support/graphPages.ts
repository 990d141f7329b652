/**
 * For a webview test file: one Chromium and one page server for the whole file (started before,
 * closed after), and `open(theme, options)` to load the graph page in a fresh tab.
 */
import { afterAll, beforeAll } from "vitest";
import { mkdirSync } from "node:fs";
import { launchChromium, openGraphPage, REPO_ROOT, startPageServer } from "./graphPage.mjs";

/** Screenshots land here (kept with the test output). */
export const OUTPUT_DIR = `${REPO_ROOT}test-output/webview`;

type Theme = Parameters<typeof openGraphPage>[2];
type PageOptions = Parameters<typeof openGraphPage>[3];

export function graphPagesInChromium(): (theme: Theme, options?: PageOptions) => ReturnType<typeof openGraphPage> {
  let server: Awaited<ReturnType<typeof startPageServer>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    server = await startPageServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return (theme, options) => openGraphPage(browser.context, server.origin, theme, options);
}
