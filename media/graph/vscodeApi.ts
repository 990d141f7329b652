/** The one handle to the host. Outside VS Code (tests, bench) a stub `acquireVsCodeApi` is injected. */
import type { WebviewToHostMessage } from "../../src/protocol/webviewMessages";

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

let api: VsCodeApi | null = null;

export function postToHost(message: WebviewToHostMessage): void {
  if (!api) api = typeof acquireVsCodeApi === "function" ? acquireVsCodeApi() : { postMessage: () => undefined };
  api.postMessage(message);
}
