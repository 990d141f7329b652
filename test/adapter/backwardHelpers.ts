/** Shared by the backward-stepping tests: fixtures under fixtures/backward and a few DAP shortcuts. */
import type { DebugProtocol } from "@vscode/debugprotocol";
import type { DapClient } from "./dapClient";
import { fixture } from "./helpers";

export function backwardFixture(name: string): string {
  return fixture(`backward/${name}`);
}

/** Sends a step-like request and waits for the stop it causes; returns the stopped event. */
export async function stepAndWait(client: DapClient, command: string): Promise<DebugProtocol.StoppedEvent> {
  const stopped = client.waitForStop();
  await client.request(command, { threadId: 1 });
  return stopped;
}

/** The variables of the top frame's first scope, by name. */
export async function topScopeVariables(client: DapClient): Promise<Map<string, DebugProtocol.Variable>> {
  const top = await client.topFrame();
  const scopes = await client.request<DebugProtocol.ScopesResponse>("scopes", { frameId: top.id });
  const variables = await client.variables(scopes.body.scopes[0]!.variablesReference);
  return new Map(variables.map((v) => [v.name, v]));
}

/** Children of a variable, by name. */
export async function children(client: DapClient, variable: DebugProtocol.Variable | undefined): Promise<Map<string, DebugProtocol.Variable>> {
  if (!variable || variable.variablesReference === 0) return new Map();
  const list = await client.variables(variable.variablesReference);
  return new Map(list.map((v) => [v.name, v]));
}
