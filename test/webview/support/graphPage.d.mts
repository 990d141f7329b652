import type { BrowserContext, Page } from "playwright-core";

export const REPO_ROOT: string;
export function startPageServer(): Promise<{ origin: string; close(): Promise<void> }>;
export function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }>;
export function openGraphPage(
  context: BrowserContext,
  origin: string,
  theme: { bodyClass: string; variables: Record<string, string> },
  options?: { elkBudgetMs?: number; delayWorkerMs?: number; waitForWorker?: boolean },
): Promise<{ page: Page; externalRequests: string[]; consoleErrors: string[] }>;
export function sendAndWait(page: Page, message: unknown, counter?: "renderCount" | "restyleCount"): Promise<void>;
