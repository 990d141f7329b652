/**
 * Layout worker entry (bundled separately as dist/webview/layoutWorker.js). Runs ELK or
 * the fast layered layout off the UI thread. The page cancels a long ELK run by
 * terminating this worker, since ELK cannot be interrupted from inside.
 */
import ELK from "elkjs/lib/elk.bundled.js";
import { elkLayout } from "./elkLayout";
import { fastLayeredLayout } from "./fastLayered";
import type { LayoutRequest, WorkerToPageMessage } from "./layoutTypes";

declare const self: {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: WorkerToPageMessage): void;
};

// Constructing ELK loads its (GWT) engine, which in a worker context installs its own
// `self.onmessage`; ours is assigned afterwards and ELK runs in-process here.
const elk = new ELK();

self.onmessage = async (event) => {
  const request = event.data;
  if (request?.type !== "layout") return;
  const started = performance.now();
  try {
    const geometry = request.algorithm === "elk" ? await elkLayout(elk, request.input) : fastLayeredLayout(request.input);
    self.postMessage({ type: "layoutResult", requestId: request.requestId, algorithm: request.algorithm, elapsedMs: performance.now() - started, geometry });
  } catch (error) {
    self.postMessage({ type: "layoutError", requestId: request.requestId, message: error instanceof Error ? error.message : String(error) });
  }
};
self.postMessage({ type: "workerReady" });
