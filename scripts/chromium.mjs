// Debian's Chromium for tests, the way these machines need it (see docs/real-vscode.md):
// headless, no sandbox as root, and no background networking on a closed network.
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** A persistent context on a fresh user-data folder (the workbench keeps state there). */
export function launchChromiumContext(userDataDir, options = {}) {
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, ...options });
}
