import * as esbuild from "esbuild";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const root = "/work/main";
await esbuild.build({ entryPoints: [root + "/test/adapter/dapClient.ts"], bundle: true, platform: "node", format: "cjs", packages: "external", outfile: "/tmp/dapc.cjs", logLevel: "silent" });
const { DapClient } = createRequire(import.meta.url)("/tmp/dapc.cjs");
const program = root + "/test/adapter/fixtures/backward/longPass.ts";
const line = readFileSync(program, "utf8").split("\n").findIndex((l) => l.includes("@mark:backward")) + 1;
const c = new DapClient({}, root + "/dist/debugAdapter.js");
await c.start({ program }, { [program]: [line] });
const first = await c.waitForEvent("stopped", () => true, 120000); console.log("first", first.body.reason, (await c.topFrame()).line);
const names = [];
for (let i = 0; i < 12; i++) {
  const t0 = performance.now();
  const s = c.waitForEvent("stopped");
  await c.request(i === 0 ? "stepIn" : "next", { threadId: 1 });
  const ev = await s;
  const t1 = performance.now();
  const trace = await c.request("stackTrace", { threadId: 1 });
  const t2 = performance.now();
  const scopes = await c.request("scopes", { frameId: trace.body.stackFrames[0].id });
  const vars = await c.request("variables", { variablesReference: scopes.body.scopes[0].variablesReference });
  const t3 = performance.now();
  names.push(`${ev.body.reason} ${trace.body.stackFrames[0].name}:${trace.body.stackFrames[0].line} stop=${Math.round(t1-t0)} trace=${Math.round(t2-t1)} vars=${Math.round(t3-t2)}`);
}
console.log(names.join("\n"));
console.log(c.outputText());
await c.close();
