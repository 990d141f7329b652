/**
 * The page's side of layout: one long-lived worker, a time budget per ELK run, and
 * cancellation by terminating the worker. When ELK runs past its budget, or no worker
 * can be started (for example a stricter host), the fast layered layout is used instead.
 * While the worker is still starting, a graph ELK would lay out can be shown at once with
 * the fast layout (provisionalLayout) and laid out again when the worker is up.
 *
 * The worker script is fetched and started from a blob: URL because VS Code serves
 * webview resources from a different origin than the page, and `new Worker(url)` only
 * accepts same-origin scripts. CSP: `worker-src blob:` and `connect-src` for the fetch.
 */
import { fastLayeredLayout } from "./fastLayered";
import type { LayoutAlgorithm, LayoutGeometry, LayoutInput, WorkerToPageMessage } from "./layoutTypes";

export interface LayoutOutcome {
  geometry: LayoutGeometry;
  algorithm: LayoutAlgorithm;
  /** True when ELK was asked for but ran out of time or failed. */
  fellBack: boolean;
  /** Wall time seen by the page, including transfer. */
  elapsedMs: number;
  /** Laid out on the page while ELK's worker was starting: to be replaced by ELK's layout. */
  provisional?: boolean;
}

/** ELK is used up to this many visible nodes (measured: a few hundred ms warm). */
export const ELK_MAX_NODES = 350;
/** An ELK run longer than this is cancelled and replaced by the fast layout (overridable per page). */
export const DEFAULT_ELK_BUDGET_MS = 1500;
const WORKER_START_TIMEOUT_MS = 15_000;

export class LayoutCancelledError extends Error {
  constructor() {
    super("layout superseded by a newer request");
  }
}

interface Pending {
  requestId: number;
  resolve(value: { geometry: LayoutGeometry; algorithm: LayoutAlgorithm }): void;
  reject(error: Error): void;
}

export class LayoutClient {
  private worker: Worker | null = null;
  private blobUrl: string | null = null;
  private nextRequestId = 1;
  private pending: Pending | null = null;
  private starting: Promise<Worker | null> | null = null;
  private workerGeneration = 0;
  /** No worker can run here (no script, no Worker, or it failed to start): layout() falls back. */
  private workerUnavailable = false;

  constructor(
    private readonly workerScriptUrl: string | null,
    private readonly log: (message: string) => void,
    private readonly elkBudgetMs = DEFAULT_ELK_BUDGET_MS,
  ) {}

  /** Starts the worker early so ELK's start-up cost is paid before the first graph. */
  warmUp(): void {
    void this.ensureWorker();
  }

  /**
   * The fast layout, made now, for a graph ELK would lay out but whose worker is still
   * starting (ELK parses ~2 MB and initialises GWT first: ~1 s in headless Chromium here, a
   * few seconds in a busy VS Code), so that the first graph shows at once; null when
   * layout() can run it now or would not use ELK anyway. whenWorkerReady() says when to ask again.
   */
  provisionalLayout(input: LayoutInput): LayoutOutcome | null {
    if (this.worker || this.workerUnavailable || input.nodes.length > ELK_MAX_NODES) return null;
    const started = performance.now();
    return { geometry: fastLayeredLayout(input), algorithm: "fast", fellBack: false, elapsedMs: performance.now() - started, provisional: true };
  }

  /** Resolves once the worker is up (true) or cannot be started (false). */
  async whenWorkerReady(): Promise<boolean> {
    for (;;) {
      if (await this.ensureWorker()) return true;
      if (this.workerUnavailable) return false;
      // That start was superseded by a restart (a cancelled layout): wait for the new one.
    }
  }

  async layout(input: LayoutInput, preferred: LayoutAlgorithm | "auto" = "auto"): Promise<LayoutOutcome> {
    const started = performance.now();
    this.cancelPending();
    const algorithm: LayoutAlgorithm = preferred === "auto" ? (input.nodes.length <= ELK_MAX_NODES ? "elk" : "fast") : preferred;
    const worker = await this.ensureWorker();
    if (!worker) return { geometry: fastLayeredLayout(input), algorithm: "fast", fellBack: algorithm === "elk", elapsedMs: performance.now() - started };
    try {
      const budget = algorithm === "elk" ? this.elkBudgetMs : Number.POSITIVE_INFINITY;
      const result = await this.run(worker, input, algorithm, budget);
      return { ...result, fellBack: false, elapsedMs: performance.now() - started };
    } catch (error) {
      if (error instanceof LayoutCancelledError) throw error;
      this.log(`layout (${algorithm}) failed or timed out: ${(error as Error).message}; using the fast layout`);
      // Small graphs only reach ELK, so the fallback is cheap enough for this thread.
      return { geometry: fastLayeredLayout(input), algorithm: "fast", fellBack: true, elapsedMs: performance.now() - started };
    }
  }

  /** Abandons the running layout; a running ELK is stopped by restarting the worker. */
  cancelPending(): void {
    if (!this.pending) return;
    const pending = this.pending;
    this.pending = null;
    this.restartWorker();
    pending.reject(new LayoutCancelledError());
  }

  dispose(): void {
    this.cancelPending();
    this.worker?.terminate();
    this.worker = null;
  }

  private run(worker: Worker, input: LayoutInput, algorithm: LayoutAlgorithm, budgetMs: number) {
    return new Promise<{ geometry: LayoutGeometry; algorithm: LayoutAlgorithm }>((resolve, reject) => {
      const requestId = this.nextRequestId++;
      const timer = Number.isFinite(budgetMs)
        ? setTimeout(() => {
            if (this.pending?.requestId !== requestId) return;
            this.pending = null;
            this.restartWorker();
            reject(new Error(`exceeded ${budgetMs} ms`));
          }, budgetMs)
        : undefined;
      this.pending = {
        requestId,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      worker.postMessage({ type: "layout", requestId, algorithm, input });
    });
  }

  private onWorkerMessage(message: WorkerToPageMessage): void {
    if (message.type === "workerReady") return;
    const pending = this.pending;
    if (!pending || pending.requestId !== message.requestId) return;
    this.pending = null;
    if (message.type === "layoutResult") pending.resolve({ geometry: message.geometry, algorithm: message.algorithm });
    else pending.reject(new Error(message.message));
  }

  private restartWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    this.starting = null;
    void this.ensureWorker();
  }

  private ensureWorker(): Promise<Worker | null> {
    if (this.worker) return Promise.resolve(this.worker);
    if (!this.starting) this.starting = this.startWorker();
    return this.starting;
  }

  private async startWorker(): Promise<Worker | null> {
    if (!this.workerScriptUrl || typeof Worker === "undefined") {
      this.workerUnavailable = true;
      return null;
    }
    let worker: Worker | null = null;
    const generation = ++this.workerGeneration;
    try {
      if (!this.blobUrl) {
        const response = await fetch(this.workerScriptUrl);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        this.blobUrl = URL.createObjectURL(new Blob([await response.text()], { type: "text/javascript" }));
      }
      worker = new Worker(this.blobUrl);
      const starting = worker;
      // ELK's start-up (parsing ~2 MB, initialising GWT) must not count against a layout's
      // budget, so the worker is only used once it says it is ready.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("worker did not start")), WORKER_START_TIMEOUT_MS);
        starting.onmessage = (event: MessageEvent<WorkerToPageMessage>) => {
          if (event.data.type !== "workerReady") return;
          clearTimeout(timer);
          resolve();
        };
        starting.onerror = (event) => {
          clearTimeout(timer);
          reject(new Error(event.message || "worker failed to start"));
        };
      });
      // A restart while this one was starting made it stale.
      if (generation !== this.workerGeneration) throw new Error("superseded by a newer worker");
      worker.onmessage = (event: MessageEvent<WorkerToPageMessage>) => this.onWorkerMessage(event.data);
      worker.onerror = (event) => {
        this.log(`layout worker error: ${event.message}`);
        const pending = this.pending;
        this.pending = null;
        pending?.reject(new Error(event.message || "worker error"));
      };
      this.worker = worker;
      document.body.dataset.layoutWorker = "ready";
      return worker;
    } catch (error) {
      worker?.terminate();
      // A stale start is not a failure: the newer one decides.
      if (generation === this.workerGeneration) this.workerUnavailable = true;
      this.log(`layout worker unavailable (${(error as Error).message}); laying out on the page`);
      return null;
    }
  }
}
