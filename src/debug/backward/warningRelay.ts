/**
 * Engine warnings -> debug console output events at the user's line. The engine sends them
 * over the inspector console (see engine/debug/warningChannel.ts); each becomes one output
 * event with `source`, `line`, `column` and `data: { gradscopeWarning: true }`, the flag the
 * extension turns into a Problems-panel diagnostic.
 */
import { OutputEvent } from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { Protocol } from "devtools-protocol";
import * as path from "node:path";
import { WARNING_CONSOLE_TAG, type EngineWarning } from "../../../engine/debug/inspectTypes";
import { urlToPath } from "../sourceMaps/sourceMapStore";

export function warningFromConsole(event: Protocol.Runtime.ConsoleAPICalledEvent): EngineWarning | null {
  if (event.args[0]?.value !== WARNING_CONSOLE_TAG || typeof event.args[1]?.value !== "string") return null;
  try {
    return JSON.parse(event.args[1].value) as EngineWarning;
  } catch {
    return null;
  }
}

export function warningOutputEvent(warning: EngineWarning): DebugProtocol.OutputEvent {
  const location = warning.location;
  const file = location ? urlToPath(location.file) : undefined;
  const where = location && file ? `${file}:${location.line}:${location.column}: ` : "";
  const event = new OutputEvent(`${where}${warning.category}: ${warning.message}\n`, "stderr") as DebugProtocol.OutputEvent;
  if (location && file) {
    event.body.source = { name: path.basename(file), path: file };
    event.body.line = location.line;
    event.body.column = location.column;
  }
  event.body.data = { gradscopeWarning: true };
  return event;
}
