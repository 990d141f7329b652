/**
 * The examples users open first: each runs to completion under plain Node (dist/run.js) and
 * under the debugger, printing what it promises.
 */
import { describe, expect, test } from "vitest";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "./dapClient";
import { closeClientsAfterEach } from "./helpers";
import { readFileSync } from "node:fs";

const EXAMPLES: Record<string, RegExp> = {
  "linear-regression.ts": /learned w = 2\.9\d\d \(true 3\), b = -1\.0\d\d \(true -1\)/,
  "mlp-classifier.ts": /step 200 {2}loss 0\.\d+ {2}accuracy (9\d|100)\.\d%/,
  "freeze-backbone.ts": /fc1\.weight +requiresGrad=false grad=null \(frozen\)[\s\S]*head\.weight +requiresGrad=true +grad=✓/,
  "non-leaf-mistake.ts": /RuntimeError: you can only change requires_grad flags of leaf variables[\s\S]*scaled\.grad = null[\s\S]*kept\.grad {3}= tensor\(\[ 2\.0000, -4\.0000, {2}8\.0000\]\)/,
  "nan-hunt.ts": /anomaly mode: Function 'LogBackward0' returned nan values in its 0th output\. The forward call that created it was at .*nan-hunt\.ts:\d+:\d+\./,
};

const example = (name: string) => path.join(REPO_ROOT, "examples", name);

/** 1-based line of the first line containing `text` (examples carry no test marks). */
function lineContaining(file: string, text: string): number {
  return readFileSync(file, "utf8").split("\n").findIndex((line) => line.includes(text)) + 1;
}

const newClient = closeClientsAfterEach();

describe("examples run to completion", () => {
  for (const [name, expected] of Object.entries(EXAMPLES)) {
    test(`${name} under plain node`, () => {
      const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "run.js"), example(name)], { encoding: "utf8", timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(expected);
    });

    test(`${name} under the debugger`, async () => {
      const client = newClient();
      await client.start({ program: example(name) });
      const exited = await client.waitForEvent<DebugProtocol.ExitedEvent>("exited", undefined, 60_000);
      await client.waitForEvent("terminated", undefined, 10_000);
      expect(exited.body.exitCode).toBe(0);
      expect(client.outputText("stdout")).toMatch(expected);
    });
  }

  test("with the Autograd Errors filter, the non-leaf example stops at the line that sets requiresGrad", async () => {
    const client = newClient();
    const program = example("non-leaf-mistake.ts");
    await client.start({ program }, {}, ["autogradErrors"]);
    const stopped = await client.waitForStop();
    expect(stopped.body.reason).toBe("exception");
    const frame = await client.topFrame();
    expect(frame.source?.path).toBe(program);
    expect(frame.line).toBe(lineContaining(program, "scaled.requiresGrad = false"));
  });
});
