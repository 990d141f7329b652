// Serves the graph page exactly as VS Code would build it (renderGraphPageHtml) from a
// tiny 127.0.0.1 server, and opens it in Debian's Chromium with a stubbed
// acquireVsCodeApi that records what the page posts. Plain ESM so that the vitest suite
// and bench/webview/run.mjs share it.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize, extname } from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { launchChromiumContext } from "../../../scripts/chromium.mjs";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const CONTENT_TYPES = { ".js": "text/javascript", ".css": "text/css", ".map": "application/json" };
/** Only what the webview's localResourceRoots allow. */
const SERVED_PREFIXES = ["/dist/webview/", "/media/graph/"];

/** Loads src/graph/pageHtml.ts (pure TS) through esbuild so plain node can call it. */
async function loadPageHtmlModule() {
  const out = await esbuild.build({ entryPoints: [join(REPO_ROOT, "src/graph/pageHtml.ts")], bundle: true, write: false, format: "esm", platform: "node" });
  const dir = mkdtempSync(join(tmpdir(), "gs-pagehtml-"));
  const file = join(dir, "pageHtml.mjs");
  (await import("node:fs")).writeFileSync(file, out.outputFiles[0].text);
  const module = await import(pathToFileURL(file).href);
  rmSync(dir, { recursive: true, force: true });
  return module;
}

export async function startPageServer() {
  const { renderGraphPageHtml } = await loadPageHtmlModule();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/" || url.pathname === "/index.html") {
      const origin = `http://${request.headers.host}`;
      const html = renderGraphPageHtml({
        cspSource: origin,
        nonce: randomBytes(18).toString("base64url"),
        scriptUri: `${origin}/dist/webview/graph.js`,
        workerUri: `${origin}/dist/webview/layoutWorker.js`,
        styleUri: `${origin}/media/graph/graph.css`,
        elkBudgetMs: Number(url.searchParams.get("elkBudgetMs")) || undefined,
      });
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(html);
      return;
    }
    const path = normalize(decodeURIComponent(url.pathname));
    if (!SERVED_PREFIXES.some((prefix) => path.startsWith(prefix)) || path.includes("..")) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(REPO_ROOT, path));
      response.writeHead(200, { "content-type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

export async function launchChromium() {
  const userDataDir = mkdtempSync(join(tmpdir(), "gs-chromium-"));
  const context = await launchChromiumContext(userDataDir, { viewport: { width: 1200, height: 800 }, deviceScaleFactor: 1 });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the graph page with VS Code's theme variables applied and a stub host API.
 * Messages the page posts collect in window.__posted; network requests outside the
 * local server are recorded in `externalRequests` (there must be none).
 * Returns once the page is ready and its layout worker is up, so that layouts are ELK's
 * from the first, unless `waitForWorker` is false; `delayWorkerMs` holds the worker's script
 * back that long (and does not wait for it): the first graph is then drawn while ELK starts.
 */
export async function openGraphPage(context, origin, theme, options = {}) {
  const page = await context.newPage();
  const externalRequests = [];
  const consoleErrors = [];
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith("blob:") && !url.startsWith("data:")) externalRequests.push(url);
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  await page.addInitScript((themeSpec) => {
    window.__posted = [];
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.__posted.push(message),
      getState: () => undefined,
      setState: () => undefined,
    });
    document.addEventListener("DOMContentLoaded", () => {
      for (const [name, value] of Object.entries(themeSpec.variables)) document.documentElement.style.setProperty(name, value);
      document.body.classList.add(themeSpec.bodyClass);
    });
  }, theme);
  if (options.delayWorkerMs) {
    await page.route("**/layoutWorker.js", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, options.delayWorkerMs));
      await route.continue();
    });
  }
  await page.goto(`${origin}/${options.elkBudgetMs ? `?elkBudgetMs=${options.elkBudgetMs}` : ""}`);
  await page.waitForFunction(() => window.__posted.some((m) => m.type === "ready"), undefined, { timeout: 120_000 });
  if (!options.delayWorkerMs && options.waitForWorker !== false) await page.waitForFunction(() => document.body.dataset.layoutWorker === "ready", undefined, { timeout: 120_000 });
  return { page, externalRequests, consoleErrors };
}

/** Posts a host message and waits until the page has rendered (or restyled) because of it. */
export async function sendAndWait(page, message, counter = "renderCount") {
  const before = await page.evaluate((c) => Number(document.body.dataset[c] ?? "0"), counter);
  await page.evaluate((m) => window.postMessage(m, "*"), message);
  await page.waitForFunction(([c, b]) => Number(document.body.dataset[c] ?? "0") > b, [counter, before], { timeout: 20_000 });
}
