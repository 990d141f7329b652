// `npm run package`: production build, then `vsce package` into gradscope.vsix, which must stay
// within 2 MB (what .vscodeignore lets in). The README's screenshots stay in the repository,
// out of the .vsix: the packed README is the same text without its image lines, so it points
// at nothing the installed extension lacks (and needs no network, as --baseImagesUrl would).
//   node scripts/package.mjs [--no-build] [--out file.vsix]
// --no-build packs dist/ as it is (the e2e test packs the unminified test build, which is larger:
// the budget is checked only on the production build).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, "gradscope.vsix"));
const BUDGET_BYTES = 2 * 1024 * 1024;

if (!args.includes("--no-build")) {
  execFileSync(process.execPath, [path.join(root, "scripts", "build.mjs"), "--production"], { cwd: root, stdio: "inherit" });
}

// vsce takes the README from inside the extension's folder only (a path relative to it).
const readme = "dist/package/README.md";
mkdirSync(path.join(root, path.dirname(readme)), { recursive: true });
try {
  const text = readFileSync(path.join(root, "README.md"), "utf8");
  writeFileSync(path.join(root, readme), text.replace(/^!\[[^\]]*\]\([^)]*\)\n\n?/gm, ""));
  const vsce = path.join(root, "node_modules", "@vscode", "vsce", "vsce");
  execFileSync(
    process.execPath,
    [vsce, "package", "--target", "linux-x64", "--no-rewrite-relative-links", "--allow-missing-repository", "--readme-path", readme, "--out", out],
    { cwd: root, stdio: "inherit" },
  );
} finally {
  rmSync(path.join(root, path.dirname(readme)), { recursive: true, force: true });
}

const size = statSync(out).size;
console.log(`${path.relative(process.cwd(), out) || out}: ${size} bytes (budget ${BUDGET_BYTES})`);
if (size > BUDGET_BYTES && !args.includes("--no-build")) {
  console.error("the .vsix is over its 2 MB budget: check what .vscodeignore lets in (unzip -lv)");
  process.exit(1);
}
