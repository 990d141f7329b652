// `npm start`: build the extension and open the examples workspace with it in a real VS Code —
// desktop VS Code when its `code` command exists, otherwise code-server (VS Code from the npm
// registry, installed once into ~/.cache/gradscope) served on 127.0.0.1. Ctrl+C stops it.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { startCodeServer, workbenchUrl, ensureCodeServer } from "./vscode/codeServer.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const examples = path.join(root, "examples");

function say(message) {
  process.stdout.write(`gradscope: ${message}\n`);
}

say("building the extension…");
execFileSync(process.execPath, [path.join(root, "scripts", "build.mjs")], { stdio: "inherit", cwd: root });

const desktop = !process.argv.includes("--code-server") && spawnSync("code", ["--version"], { stdio: "ignore" }).status === 0;
if (desktop) {
  say("opening desktop VS Code with the extension (Extension Development Host)…");
  spawn("code", ["--extensionDevelopmentPath", root, examples], { stdio: "inherit", detached: true }).unref();
} else {
  ensureCodeServer(); // prints progress while it installs (once)
  const port = Number(process.env.GRADSCOPE_PORT ?? 8080);
  const server = await startCodeServer({ port });
  const url = workbenchUrl(server, { folder: examples, extensionPath: root });
  say("VS Code (code-server) is running on 127.0.0.1 with the Gradscope extension loaded.");
  say(`open this URL in a browser on this machine:\n\n  ${url}\n`);
  say("then open mlp-classifier.ts, set a breakpoint on `loss.backward()` and press F5. Ctrl+C to stop.");
  const stop = () => {
    server.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.child.on("exit", (code) => {
    say(`code-server exited (${code})`);
    process.exit(code ?? 1);
  });
}
