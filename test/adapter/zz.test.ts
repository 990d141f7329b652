import { test } from "vitest";
import { DapClient } from "./dapClient";
import { fixture } from "./helpers";
test("x", async () => {
  for (let i = 0; i < 4; i++) {
  const c = new DapClient();
  const p = fixture("tensors.ts");
  await c.request("initialize", { adapterID: "gradscope", pathFormat: "path", linesStartAt1: true, columnsStartAt1: true });
  await new Promise(r => setTimeout(r, 300));
  const t0 = performance.now();
  const stopped = c.waitForStop();
  void c.send("launch", { program: p });
  await c.waitForEvent("initialized");
  const t1 = performance.now();
  await c.request("setBreakpoints", { source: { path: p }, breakpoints: [{ line: 5 }] });
  await c.request("setExceptionBreakpoints", { filters: ["autogradErrors"] });
  await c.request("configurationDone");
  const t2 = performance.now();
  await stopped;
  const t3 = performance.now();
  console.log("launch->initialized", (t1 - t0).toFixed(0), "config", (t2 - t1).toFixed(0), "->stopped", (t3 - t2).toFixed(0));
  await c.close();
  }
});
