/**
 * Standalone entry: `node dist/debugAdapter.js` speaks DAP on stdin/stdout (any DAP
 * client), or `--server=PORT` for a socket. However the adapter ends — stdin closed,
 * a signal, a crash — the debuggee dies with it (see also the debuggee's lifeline pipe).
 */
import { DebugSession } from "@vscode/debugadapter";
import { GradscopeDebugSession } from "./session/gradscopeSession";

const sessions = new Set<GradscopeDebugSession>();

class StandaloneSession extends GradscopeDebugSession {
  constructor() {
    super();
    sessions.add(this);
  }
}

function killAllAndExit(code: number): void {
  for (const session of sessions) session.killDebuggee();
  process.exit(code);
}

const serverMode = process.argv.some((a) => a.startsWith("--server="));
if (!serverMode) {
  // The client went away: nobody will ever send disconnect.
  process.stdin.on("end", () => killAllAndExit(0));
  process.stdin.on("close", () => killAllAndExit(0));
}
process.on("SIGTERM", () => killAllAndExit(143));
process.on("SIGINT", () => killAllAndExit(130));
process.on("SIGHUP", () => killAllAndExit(129));
process.on("uncaughtException", (error) => {
  process.stderr.write(`gradscope debug adapter crashed: ${error.stack ?? error}\n`);
  killAllAndExit(1);
});

DebugSession.run(StandaloneSession);
