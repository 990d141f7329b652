// Runs the integration suite (test/integration/suite, bundled to dist/test/integration.js)
// inside a real VS Code: code-server from the npm registry, driven by Debian's Chromium.
// The workbench runs the suite itself (extensionTestsPath) and reports through
// codeAutomationLog / codeAutomationExit, the hooks @vscode/test-web uses.
import { format } from "node:util";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { startCodeServer, workbenchUrl } from "../../scripts/vscode/codeServer.mjs";
import { launchChromiumContext } from "../../scripts/chromium.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The workbench's own start-up chatter and known harmless offline errors (see docs/real-vscode.md). */
const WORKBENCH_NOISE = /open-vsx|vsda|ENOTFOUND|^(Creating a socket|Creation of workbench|Resolv|\[Service Worker\]|Updating additional|ChatSessionStore|Started local extension host|Extension host|Loading |\s*$)/;
const resultsFile = process.argv.find((a) => a.startsWith("--results="))?.slice("--results=".length);
const counts = { passed: 0, failed: 0 };
const TIMEOUT_MS = Number(process.env.GRADSCOPE_INTEGRATION_TIMEOUT ?? 300_000);


async function main() {
  const server = await startCodeServer();
  const profile = mkdtempSync(path.join(os.tmpdir(), "gradscope-chromium-"));
  const browser = await launchChromiumContext(profile);
  let exitCode = 1;
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const finished = new Promise((resolve) => {
      page.exposeFunction("codeAutomationLog", (type, args) => {
        // The workbench forwards console calls as (format string, ...values), like console.log.
        const text = format(...(Array.isArray(args) ? args : [args]));
        // The extension host's console: show the suite's own output, not the workbench noise.
        if (WORKBENCH_NOISE.test(text)) return;
        const summary = /^integration: (\d+) passed, (\d+) failed$/.exec(text);
        if (summary) {
          counts.passed = Number(summary[1]);
          counts.failed = Number(summary[2]);
        }
        process.stdout.write(`${text}\n`);
      });
      page.exposeFunction("codeAutomationExit", (code) => resolve(code));
    });
    const url = workbenchUrl(server, {
      folder: path.join(root, "examples"),
      extensionPath: root,
      testsPath: path.join(root, "dist", "test", "integration.js"),
    });
    await page.goto(url);
    const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), TIMEOUT_MS));
    const result = await Promise.race([finished, timeout]);
    if (result === "timeout") {
      await page.screenshot({ path: path.join(root, "test-output", "integration-timeout.png") }).catch(() => {});
      console.error(`integration: no result within ${TIMEOUT_MS / 1000} s`);
    } else exitCode = Number(result);
  } finally {
    await browser.close().catch(() => {});
    server.stop();
    rmSync(profile, { recursive: true, force: true });
  }
  if (resultsFile) {
    // A run that never reported (crash, timeout) counts as one failure.
    if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
    mkdirSync(path.dirname(resultsFile), { recursive: true });
    writeFileSync(resultsFile, JSON.stringify(counts));
  }
  process.exit(exitCode);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
