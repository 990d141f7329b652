#!/usr/bin/env node
// Backward-stepping benchmarks (issue 4 "Speed"). Plain Node ESM; prints one line per metric
// and a JSON summary last. Run after `npm run build`:  node bench/adapter/backward.mjs
// (bench/adapter/run.mjs runs it as its own section.)
//
//   mlp    the 200-step MLP under the adapter with backward stepping available (recording on,
//          a function breakpoint armed on a node type that never runs) vs plain node: wall ratio
//   step   one backward-node step round trip: next -> stopped + stackTrace + scopes + variables
//          of the synthetic node frame, inside a pass of a few hundred nodes
//   fbp    Continue from one node of a pass to the next node a function breakpoint names
//          (TanhBackward0): continue -> stopped (no target; a node step's round trip)
//   graph  the gradscope.graph request for a 20,000-function-node graph (limit 25,000), until the
//          client has the GraphSnapshot (response parsed and decoded)
import { rmSync } from "node:fs";
import * as path from "node:path";
import { adapter, compareMlp, fixtures, lineOf, loadAverage, median, runs, setUpBench, timedStep } from "./harness.mjs";

const { scratch, DapClient, decodeGraphSnapshot } = await setUpBench("gradscope-bench-backward-");

/** The same MLP with backward stepping available: recording on, a function breakpoint armed on a node type that never runs. */
const benchMlp = () =>
  compareMlp(DapClient, scratch, (client) => client.request("setFunctionBreakpoints", { breakpoints: [{ name: "NoSuchBackward0" }] }));

async function benchStep() {
  const program = path.join(fixtures, "backward/longPass.ts");
  const client = new DapClient({}, adapter);
  await client.start({ program }, { [program]: [lineOf(program, "backward")] });
  await client.waitForEvent("stopped");
  const stepIn = client.waitForEvent("stopped");
  await client.request("stepIn", { threadId: 1 });
  await stepIn;
  const times = [];
  for (let i = 0; i < 60; i++) {
    const { ms, top, variables } = await timedStep(client);
    times.push(ms);
    if (!/Backward|AccumulateGrad/.test(top.name) || !variables.some((v) => v.name === "gradOutput")) {
      throw new Error(`not at a node: ${top.name}`);
    }
  }
  await client.close();
  return times.slice(5);
}

async function benchFunctionBreakpoint() {
  const program = path.join(fixtures, "backward/longPass.ts");
  const client = new DapClient({}, adapter);
  await client.start({ program }, {}, [], async () => {
    await client.request("setFunctionBreakpoints", { breakpoints: [{ name: "TanhBackward0" }] });
  });
  await client.waitForEvent("stopped", () => true, 60_000);
  const times = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const stopped = client.waitForEvent("stopped");
    await client.request("continue", { threadId: 1 });
    const event = await stopped;
    times.push(performance.now() - t0);
    if (event.body.reason !== "function breakpoint") throw new Error(`stopped for ${event.body.reason}, not at a TanhBackward0 node`);
  }
  await client.close();
  return times.slice(5);
}

/**
 * One request on the client's adapter, read with linear buffering (the tests' client joins
 * buffers per chunk, which for a large answer costs more than the adapter does): what a DAP
 * client such as VS Code waits for. The client's own reader is set aside meanwhile.
 */
let rawSeq = 1_000_000;
function rawRequest(client, command, args) {
  const stdout = client.process.stdout;
  const saved = stdout.listeners("data");
  stdout.removeAllListeners("data");
  const seq = rawSeq++;
  const message = JSON.stringify({ seq, type: "request", command, arguments: args });
  return new Promise((resolve, reject) => {
    let chunks = [];
    let length = 0;
    let bodyStart = -1;
    let bodyLength = -1;
    const finish = (value, error) => {
      stdout.off("data", onData);
      for (const listener of saved) stdout.on("data", listener);
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk) => {
      chunks.push(chunk);
      length += chunk.length;
      for (;;) {
        if (bodyStart < 0) {
          const head = Buffer.concat(chunks, length);
          chunks = [head];
          const end = head.indexOf("\r\n\r\n");
          if (end < 0) return;
          bodyLength = Number(/Content-Length: (\d+)/i.exec(head.subarray(0, end).toString())[1]);
          bodyStart = end + 4;
        }
        if (length < bodyStart + bodyLength) return;
        const all = Buffer.concat(chunks, length);
        const parsed = JSON.parse(all.subarray(bodyStart, bodyStart + bodyLength).toString());
        const rest = all.subarray(bodyStart + bodyLength);
        chunks = rest.length > 0 ? [rest] : [];
        length = rest.length;
        bodyStart = -1;
        if (parsed.type === "response" && parsed.request_seq === seq) {
          if (!parsed.success) finish(undefined, new Error(parsed.message));
          else finish(parsed);
          return;
        }
        if (length === 0) return;
      }
    };
    stdout.on("data", onData);
    client.process.stdin.write(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
  });
}

async function benchGraph() {
  const program = path.join(fixtures, "backward/largeGraph.ts");
  const client = new DapClient({}, adapter);
  await client.start({ program }, { [program]: [lineOf(program, "built")] });
  await client.waitForEvent("stopped", () => true, 120_000);
  const times = [];
  let nodes = 0;
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const response = await rawRequest(client, "gradscope.graph", { limit: 25_000 });
    const snapshot = decodeGraphSnapshot(response.body);
    times.push(performance.now() - t0);
    nodes = snapshot.nodes.length;
  }
  await client.close();
  return { first: times[0], rest: times.slice(1), nodes };
}

const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
const wanted = (name) => !only || only.includes(name);

try {
  const summary = { loadAverage: [loadAverage()] };
  if (wanted("mlp")) {
  const mlp = await benchMlp();
  const ratio = median(mlp.debugged) / median(mlp.plain);
  console.log(
    `backward MLP 200 steps, stepping available: plain node ${median(mlp.plain).toFixed(0)} ms, under adapter ${median(mlp.debugged).toFixed(0)} ms, ratio ${ratio.toFixed(2)}x (target <= 1.3)`,
  );
  const trainRatio = median(mlp.debuggedTrain) / median(mlp.plainTrain);
  console.log(
    `backward MLP training loop alone (no launch costs), stepping available: plain ${median(mlp.plainTrain).toFixed(0)} ms, under adapter ${median(mlp.debuggedTrain).toFixed(0)} ms, ratio ${trainRatio.toFixed(2)}x`,
  );
  Object.assign(summary, {
    backwardMlpPlainMs: Math.round(median(mlp.plain)),
    backwardMlpDebuggedMs: Math.round(median(mlp.debugged)),
    backwardMlpRatio: Number(ratio.toFixed(3)),
    backwardMlpTrainRatio: Number(trainRatio.toFixed(3)),
  });
  }
  if (wanted("step")) {
  const step = await benchStep();
  console.log(`backward node step -> stopped+stackTrace+scopes+variables: median ${median(step).toFixed(1)} ms (target <= 100)`);
  summary.backwardStepMs = Number(median(step).toFixed(1));
  }
  if (wanted("fbp")) {
  const fbp = await benchFunctionBreakpoint();
  console.log(`backward continue -> next function-breakpoint node: median ${median(fbp).toFixed(1)} ms`);
  summary.backwardFunctionBreakpointMs = Number(median(fbp).toFixed(1));
  }
  if (wanted("graph")) {
  const graph = await benchGraph();
  console.log(
    `graph request, ${graph.nodes} nodes: first ${graph.first.toFixed(0)} ms, median of next ${graph.rest.length} ${median(graph.rest).toFixed(0)} ms (target <= 300)`,
  );
  Object.assign(summary, { graphNodes: graph.nodes, graphFirstMs: Math.round(graph.first), graphMedianMs: Math.round(median(graph.rest)) });
  }
  summary.loadAverage.push(loadAverage());
  console.log(`load average (1 min) before ${summary.loadAverage[0]}, after ${summary.loadAverage[1]}`);
  console.log(JSON.stringify(summary));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
