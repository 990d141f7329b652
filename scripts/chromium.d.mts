import type { BrowserContext, LaunchOptions } from "playwright-core";

export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: string[];
export function launchChromiumContext(userDataDir: string, options?: Parameters<typeof import("playwright-core").chromium.launchPersistentContext>[1] & LaunchOptions): Promise<BrowserContext>;
