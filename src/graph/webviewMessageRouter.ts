/**
 * Everything the host does with a message from the graph webview, without `vscode`:
 * validate (src/protocol/webviewMessages), check a reveal against the locations the
 * host itself sent (a compromised page cannot open arbitrary files), then call the
 * matching handler. GraphPanel plugs VS Code APIs into the handlers; tests plug fakes.
 */
import type { GraphSnapshot, SourceLocation } from "../protocol/graphSnapshot";
import { parseWebviewMessage, type ExportMessage, type RevealMessage } from "../protocol/webviewMessages";

export interface WebviewMessageHandlers {
  ready(): void;
  reveal(message: RevealMessage): void | Promise<void>;
  export(message: ExportMessage): void | Promise<void>;
  log(message: string): void;
}

const locationKey = (l: SourceLocation) => `${l.path}\u0000${l.line}\u0000${l.column}`;

export class WebviewMessageRouter {
  private knownLocations = new Set<string>();

  constructor(private readonly handlers: WebviewMessageHandlers) {}

  /** Call with each snapshot sent to the page: only its nodes' locations can be revealed. */
  rememberSnapshot(snapshot: GraphSnapshot | undefined): void {
    this.knownLocations = new Set();
    for (const node of snapshot?.nodes ?? []) if (node.forwardLocation) this.knownLocations.add(locationKey(node.forwardLocation));
  }

  /** Returns true when the message was valid and acted on. */
  async handle(raw: unknown): Promise<boolean> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.handlers.log(`graph webview: ignored an invalid message (${parsed.error})`);
      return false;
    }
    const message = parsed.message;
    switch (message.type) {
      case "ready":
        this.handlers.ready();
        return true;
      case "reveal":
        if (!this.knownLocations.has(locationKey(message.location))) {
          this.handlers.log(`graph webview: ignored a reveal of a location not in the graph (${message.location.path}:${message.location.line})`);
          return false;
        }
        await this.handlers.reveal(message);
        return true;
      case "export":
        await this.handlers.export(message);
        return true;
      case "error":
        this.handlers.log(`graph webview: ${message.message}`);
        return true;
    }
  }
}

/** The bytes to write for an export (PNG arrives as a base64 data URL). */
export function exportBytes(message: ExportMessage): Uint8Array {
  if (message.format === "png") return Buffer.from(message.content.slice(message.content.indexOf(",") + 1), "base64");
  return Buffer.from(message.content, "utf8");
}
