// The same integration suite in desktop VS Code, for machines that can download it
// (@vscode/test-electron fetches VS Code from Microsoft's update server).
import { runTests } from "@vscode/test-electron";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, "dist", "test", "integration.js"),
    launchArgs: [path.join(root, "examples"), "--disable-extensions", "--disable-workspace-trust"],
  });
} catch (error) {
  console.error(`integration (desktop VS Code): ${error}`);
  process.exit(1);
}
