/** Test helpers: fixture paths and `// @mark:name` line lookup, so tests don't hard-code lines. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach } from "vitest";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { DapClient, FIXTURES } from "./dapClient";

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** 1-based line of the `// @mark:<mark>` comment in a fixture. */
export function lineOf(file: string, mark: string): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes(`@mark:${mark}`) && new RegExp(`@mark:${mark}(\\s|$)`).test(l));
  if (index < 0) throw new Error(`no @mark:${mark} in ${file}`);
  return index + 1;
}

/** Polls until `check` is true (process death, file removal); gives up after `limitMs`. */
export async function eventually(check: () => boolean, limitMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/**
 * For a test file: returns `newClient()`, and every client made with it is closed after each
 * test (its adapter and debuggee gone), whatever the test did.
 */
export function closeClientsAfterEach(): (env?: NodeJS.ProcessEnv) => DapClient {
  const open: DapClient[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.close()));
  });
  return (env) => {
    const client = new DapClient(env);
    open.push(client);
    return client;
  };
}

/** Launches with a breakpoint on `file`'s `@mark:<mark>` line and waits until it stops there. */
export async function pausedAtMark(client: DapClient, launch: Record<string, unknown>, file: string, mark: string): Promise<DapClient> {
  await client.start(launch, { [file]: [lineOf(file, mark)] });
  await client.waitForStop();
  return client;
}

/** The variable called `name`, or an error listing the names there are. */
export function byName(variables: DebugProtocol.Variable[], name: string): DebugProtocol.Variable {
  const found = variables.find((v) => v.name === name);
  if (!found) throw new Error(`no variable ${name} in ${variables.map((v) => v.name).join(", ")}`);
  return found;
}
