/**
 * A DAP response whose body is already JSON (UTF-8 bytes), written as ProtocolServer._send of
 * @vscode/debugadapter would write it (same framing, same sequence numbers). The standalone
 * adapter answers a 20,000-node graph request with ~4 MB of JSON; building the objects only
 * for JSON.stringify to walk them again, then encoding that string for the pipe, costs more
 * than the engine takes to dump the graph.
 */
import type { DebugSession } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";

/** What ProtocolServer keeps privately (checked at run time, so a different library version just falls back). */
interface ProtocolServerInternals {
  _writableStream?: { write(data: string | Uint8Array): unknown } | null;
  _sequence?: number;
  _sendMessage?: { fire(message: DebugProtocol.ProtocolMessage): void };
}

/**
 * Sends `response` with `bodyJson()` as its body; false (nothing sent) when the session has no
 * output stream of its own: the inline adapter hands message objects to VS Code, so the caller
 * then sends the body as an object.
 */
export function sendSerializedResponse(session: DebugSession, response: DebugProtocol.Response, bodyJson: () => Uint8Array): boolean {
  const internals = session as unknown as ProtocolServerInternals;
  const stream = internals._writableStream;
  if (!stream || typeof stream.write !== "function" || typeof internals._sequence !== "number" || response.seq > 0) return false;
  const body = bodyJson();
  response.type = "response";
  response.seq = internals._sequence++;
  delete response.body;
  const head = Buffer.from(`${JSON.stringify(response).slice(0, -1)},"body":`);
  const length = head.length + body.length + 1;
  // In three writes, in order: the body's bytes are handed to the pipe as they are, not copied.
  stream.write(Buffer.concat([Buffer.from(`Content-Length: ${length}\r\n\r\n`), head]));
  stream.write(body);
  stream.write(CLOSE);
  // Whoever watches sent messages gets the object as usual; the body is parsed only if read.
  let parsed: unknown;
  Object.defineProperty(response, "body", { get: () => (parsed ??= JSON.parse(Buffer.from(body).toString("utf8"))), enumerable: true, configurable: true });
  internals._sendMessage?.fire(response);
  return true;
}

const CLOSE = Buffer.from("}");
