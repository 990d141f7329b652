// `npm start`: build, then run the MLP example with the embedded engine and print its loss
// and gradient summary. (Once the extension can be launched in VS Code, this opens it there.)
import { execFileSync } from "node:child_process";

const run = (args) => execFileSync(process.execPath, args, { stdio: "inherit" });
run(["scripts/build.mjs"]);
run(["dist/run.js", "examples/mlp-classifier.ts"]);
