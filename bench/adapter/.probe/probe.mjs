import * as esbuild from "esbuild";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const root = "/work/main";
await esbuild.build({ entryPoints: [root + "/test/adapter/dapClient.ts"], bundle: true, platform: "node", format: "cjs", packages: "external", outfile: "/tmp/dapc.cjs", logLevel: "silent" });
const { DapClient } = createRequire(import.meta.url)("/tmp/dapc.cjs");
const program = root + "/test/adapter/fixtures/backward/largeGraph.ts";
const line = readFileSync(program, "utf8").split("\n").findIndex((l) => l.includes("@mark:built")) + 1;
const c = new DapClient({}, root + "/dist/debugAdapter.js");
await c.start({ program }, { [program]: [line] });
await c.waitForEvent("stopped", () => true, 120000);
const expr = `(() => { const i = globalThis[Symbol.for("gradscope.inspector")]; const r = []; for (let k = 0; k < 4; k++) { let t0 = performance.now(); const raw = i.graph([{name:"loss",value:loss},{name:"x",value:x}], 25000); const t1 = performance.now(); const s = i.graphOfScopes(25000, {loss, x}); r.push(Math.round(t1 - t0) + "/" + Math.round(performance.now() - t1)); } return r.join(","); })()`;
console.log("in-debuggee graphOfScopes ms:", (await c.evaluate(expr, "repl")).result);
for (let k = 0; k < 3; k++) {
  let firstChunk = 0, lastChunk = 0, bytes = 0;
  const onData = (d) => { const t = performance.now(); if (!firstChunk) firstChunk = t; lastChunk = t; bytes += d.length; };
  c.process.stdout.on("data", onData);
  const t0 = performance.now(); await c.request("gradscope.graph", { limit: 25000 }); const t1 = performance.now();
  c.process.stdout.off("data", onData);
  console.log("request", Math.round(t1 - t0), "firstChunk", Math.round(firstChunk - t0), "lastChunk", Math.round(lastChunk - t0), "bytes", bytes);
}
await c.close();
console.log(c.adapterStderr);
