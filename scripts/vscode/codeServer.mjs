// code-server (real VS Code from the npm registry) for machines without internet: installed
// once into a cache folder, started on 127.0.0.1 with a throwaway profile.
// See ../shared/docs/real-vscode.md for why each setting below is needed.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, rmSync, copyFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as net from "node:net";

export const CODE_SERVER_VERSION = "4.100.3";
const RIPGREP_PACKAGE_VERSION = "1.15.11";
const RIPGREP_TAG = "v13.0.0-10";
const DEBIAN_PACKAGES = ["chromium", "ripgrep", "libxkbfile-dev", "libsecret-1-dev", "libkrb5-dev"];

export function cacheDir() {
  return process.env.GRADSCOPE_CACHE ?? path.join(os.homedir(), ".cache", "gradscope");
}

/** The npm project folder code-server is installed into. */
function installDir() {
  return path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerEntry() {
  return path.join(installDir(), "node_modules", "code-server", "out", "node", "entry.js");
}

function log(message) {
  process.stderr.write(`[code-server] ${message}\n`);
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((name) => {
    try {
      return !execFileSync("dpkg-query", ["-W", "-f=${Status}", name], { encoding: "utf8" }).includes("install ok installed");
    } catch {
      return true;
    }
  });
}

/** @vscode/ripgrep downloads rg from GitHub; a tarball of Debian's rg in its cache satisfies it. */
function seedRipgrepCache(tmp) {
  const cache = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  mkdirSync(cache, { recursive: true });
  const tarball = path.join(cache, `ripgrep-${RIPGREP_TAG}-x86_64-unknown-linux-musl.tar.gz`);
  if (existsSync(tarball)) return;
  const staging = mkdtempSync(path.join(tmp, "rg-"));
  copyFileSync("/usr/bin/rg", path.join(staging, "rg"));
  execFileSync("tar", ["-czf", tarball, "-C", staging, "rg"]);
  rmSync(staging, { recursive: true, force: true });
}

/** Installs a packaged extension (.vsix) offline into `extensionsDir`. */
export function installExtension(vsix, extensionsDir) {
  execFileSync(process.execPath, [ensureCodeServer(), "--install-extension", vsix, "--extensions-dir", extensionsDir], { stdio: "pipe" });
}

/** Installs code-server once (about 2 minutes); later calls return at once. */
export function ensureCodeServer() {
  if (existsSync(codeServerEntry())) return codeServerEntry();
  const missing = missingDebianPackages();
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      throw new Error(`code-server needs these Debian packages first: sudo apt-get install -y ${missing.join(" ")}`);
    }
    log(`installing Debian packages: ${missing.join(" ")}`);
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  }
  const dir = installDir();
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, "package.json"))) writeFileSync(path.join(dir, "package.json"), '{ "private": true }\n');
  const tmp = os.tmpdir();
  seedRipgrepCache(tmp);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 2 minutes, once)…`);
  execFileSync("npm", ["install", `code-server@${CODE_SERVER_VERSION}`, "--foreground-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      npm_config_nodedir: "/usr",
      npm_config_yes: "true",
      npm_config_unsafe_perm: "true",
      TMPDIR: tmp,
    },
  });
  if (!existsSync(codeServerEntry())) throw new Error("code-server install finished but its entry point is missing");
  log("installed");
  return codeServerEntry();
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Quiet defaults for a throwaway profile: no welcome page, no telemetry prompts. */
export const DEFAULT_USER_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "extensions.ignoreRecommendations": true,
  "git.openRepositoryInParentFolders": "never",
};

/** Starts code-server on 127.0.0.1; resolves when /healthz answers. */
export async function startCodeServer({ port, quiet = true, settings = DEFAULT_USER_SETTINGS, extensionsDir } = {}) {
  const entry = ensureCodeServer();
  const chosenPort = port ?? (await freePort());
  const profile = mkdtempSync(path.join(os.tmpdir(), "gradscope-vscode-"));
  mkdirSync(path.join(profile, "data", "User"), { recursive: true });
  writeFileSync(path.join(profile, "data", "User", "settings.json"), JSON.stringify(settings, null, 2));
  const child = spawn(process.execPath, [
    entry,
    "--bind-addr", `127.0.0.1:${chosenPort}`,
    "--auth", "none",
    "--cert", "false",
    "--user-data-dir", path.join(profile, "data"),
    "--extensions-dir", extensionsDir ?? path.join(profile, "extensions"),
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
  ], { stdio: quiet ? ["ignore", "ignore", "pipe"] : "inherit", detached: false });
  const url = `http://127.0.0.1:${chosenPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error("code-server did not answer /healthz within 60 s");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    rmSync(profile, { recursive: true, force: true });
  };
  return { url, port: chosenPort, profile, child, stop };
}

/** The workbench URL that loads an extension under development (and optionally runs its tests). */
export function workbenchUrl({ url, port }, { folder, extensionPath, testsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [["extensionDevelopmentPath", remote(extensionPath)]];
  if (testsPath) payload.push(["extensionTestsPath", remote(testsPath)]);
  return `${url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}` && process.argv[2] === "install") {
  ensureCodeServer();
}
