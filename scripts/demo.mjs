// `npm run demo`: train the MLP example with the embedded engine, without VS Code, and print
// its loss and gradient summary.
import { execFileSync } from "node:child_process";

const run = (args) => execFileSync(process.execPath, args, { stdio: "inherit" });
run(["scripts/build.mjs"]);
run(["dist/run.js", "examples/mlp-classifier.ts"]);
