/**
 * A typed Chrome DevTools Protocol client over one WebSocket (the `ws` library).
 * Knows nothing about DAP: it sends commands, resolves their replies and fans out events.
 * Kept apart from the DAP layer as in vscode-js-debug, so the runtime can be tested and
 * reasoned about in CDP terms alone.
 */
import WebSocket from "ws";
import type { ProtocolMapping } from "devtools-protocol/types/protocol-mapping";

export type CdpCommand = keyof ProtocolMapping.Commands;
export type CdpParams<C extends CdpCommand> = ProtocolMapping.Commands[C]["paramsType"][0];
export type CdpResult<C extends CdpCommand> = ProtocolMapping.Commands[C]["returnType"];
export type CdpEvent = keyof ProtocolMapping.Events;
export type CdpEventParams<E extends CdpEvent> = ProtocolMapping.Events[E][0];

export class CdpError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${message}`);
    this.name = "CdpError";
  }
}

interface PendingCall {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Node's inspector writes each message to its socket in pieces and does not disable Nagle's
 * algorithm; while the debuggee is paused, the second piece waits for our (delayed, ~40 ms)
 * TCP ACK. Any message from us carries that ACK, so while we wait for an answer we send a
 * cheap unknown-method request (answered with an error, no side effects) a few ms in,
 * backing off. This turns ~44 ms round trips on a paused debuggee into ~2-5 ms.
 */
const NUDGE_FIRST_MS = 2;
const NUDGE_MAX_MS = 64;
const NUDGE_METHOD = "Gradscope.nudge";
/** Nudges are numbered from here, far above our calls' ids. */
const FIRST_NUDGE_ID = 1_000_000_000;

export class CdpConnection {
  private nextId = 1;
  private nextNudgeId = FIRST_NUDGE_ID;
  private nudgeTimer: NodeJS.Timeout | undefined;
  private nudgeDelay = NUDGE_FIRST_MS;
  /** An event we expect soon (after a step or pause request), worth nudging for. */
  private awaitedEvent: string | undefined;
  private readonly pending = new Map<number, PendingCall>();
  private readonly listeners = new Map<string, Array<(params: unknown) => void>>();
  private readonly closeListeners: Array<() => void> = [];
  private closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => this.onMessage(String(data)));
    socket.on("close", () => this.onClose());
    socket.on("error", () => this.onClose());
  }

  /** Connects to a V8 inspector WebSocket URL (always 127.0.0.1 here). */
  static connect(url: string): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      // perMessageDeflate off: the inspector doesn't negotiate it and it costs latency.
      const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
      socket.once("open", () => resolve(new CdpConnection(socket)));
      socket.once("error", (error) => reject(error));
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send<C extends CdpCommand>(method: C, ...params: CdpParams<C> extends undefined ? [] : [CdpParams<C>]): Promise<CdpResult<C>>;
  send<C extends CdpCommand>(method: C, params?: CdpParams<C>): Promise<CdpResult<C>> {
    if (this.closed) return Promise.reject(new CdpError(method, -1, "the debuggee is gone"));
    const id = this.nextId++;
    return new Promise<CdpResult<C>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params: params ?? {} }));
      this.scheduleNudge(true);
    });
  }

  /** Keep nudging (see NUDGE_*) until `event` arrives: used after step and pause requests. */
  expectEvent(event: CdpEvent): void {
    this.awaitedEvent = event;
    this.scheduleNudge(true);
  }

  private scheduleNudge(restart: boolean): void {
    if (this.closed) return;
    if (restart) {
      this.nudgeDelay = NUDGE_FIRST_MS;
      if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
      this.nudgeTimer = undefined;
    }
    if (this.nudgeTimer) return;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined;
      if (this.closed || (this.pending.size === 0 && !this.awaitedEvent)) return;
      this.socket.send(JSON.stringify({ id: this.nextNudgeId++, method: NUDGE_METHOD, params: {} }));
      this.nudgeDelay = Math.min(this.nudgeDelay * 2, NUDGE_MAX_MS);
      this.scheduleNudge(false);
    }, this.nudgeDelay);
    this.nudgeTimer.unref();
  }

  on<E extends CdpEvent>(event: E, listener: (params: CdpEventParams<E>) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as (params: unknown) => void);
    this.listeners.set(event, list);
  }

  onDidClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.socket.close();
    this.onClose();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as {
      id?: number;
      method?: string;
      params?: unknown;
      result?: unknown;
      error?: { code: number; message: string };
    };
    // Traffic while we wait: the next piece may be held for our ACK again, so nudge soon
    // after this one rather than at the backed-off delay (Debugger.enable alone sends ~100
    // scriptParsed events, each one a possible stall). Not for the answer to a nudge: that
    // would nudge every few ms for as long as we wait, and backing off is what bounds it.
    const nudgeAnswer = message.id !== undefined && message.id >= FIRST_NUDGE_ID;
    if (!nudgeAnswer && (this.pending.size > 0 || this.awaitedEvent)) this.scheduleNudge(true);
    if (message.id !== undefined) {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (message.error) call.reject(new CdpError(call.method, message.error.code, message.error.message));
      else call.resolve(message.result);
      return;
    }
    if (message.method) {
      if (message.method === this.awaitedEvent) this.awaitedEvent = undefined;
      for (const listener of this.listeners.get(message.method) ?? []) listener(message.params);
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    for (const call of this.pending.values()) call.reject(new CdpError(call.method, -1, "the debuggee is gone"));
    this.pending.clear();
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
