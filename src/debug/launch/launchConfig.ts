/**
 * The `gradscope` launch configuration: its attributes, their defaults, and validation
 * that names the offending attribute (VS Code shows the message as-is).
 */
import { existsSync, statSync } from "node:fs";
import * as path from "node:path";

export interface GradscopeLaunchArguments {
  /** Absolute (or cwd-relative) path to the .ts/.js program. */
  program: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string | null>;
  stopOnEntry?: boolean;
  /** Executable that runs the program; `node` on PATH by default. */
  runtimeExecutable?: string;
  runtimeArgs?: string[];
  /** Show and step into engine frames instead of hiding them. */
  stepIntoEngine?: boolean;
  /** Log DAP traffic to stderr of the adapter (LoggingDebugSession). */
  trace?: boolean;
}

export interface ResolvedLaunch {
  program: string;
  args: string[];
  cwd: string;
  env: Record<string, string | null>;
  stopOnEntry: boolean;
  runtimeExecutable: string;
  runtimeArgs: string[];
  stepIntoEngine: boolean;
}

export class LaunchConfigError extends Error {
  override name = "LaunchConfigError";
}

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === "string";
const isBoolean: Check = (v) => typeof v === "boolean";
const isStringArray: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === "string");
const isEnv: Check = (v) =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string" || x === null);

/** Attribute -> [check, what it should be]: one table so the schema and checks agree. */
const ATTRIBUTE_TYPES: Record<string, [Check, string]> = {
  program: [isString, "a string (path to a .ts or .js file)"],
  args: [isStringArray, "an array of strings"],
  cwd: [isString, "a string (directory)"],
  env: [isEnv, "an object mapping names to strings (or null to unset)"],
  stopOnEntry: [isBoolean, "a boolean"],
  runtimeExecutable: [isString, "a string (path or command name)"],
  runtimeArgs: [isStringArray, "an array of strings"],
  stepIntoEngine: [isBoolean, "a boolean"],
  trace: [isBoolean, "a boolean"],
};

/** Validates raw DAP launch arguments; throws LaunchConfigError naming the attribute. */
export function resolveLaunchArguments(raw: Record<string, unknown>): ResolvedLaunch {
  for (const [name, [check, expected]] of Object.entries(ATTRIBUTE_TYPES)) {
    if (raw[name] !== undefined && !check(raw[name])) {
      throw new LaunchConfigError(`Invalid launch attribute '${name}': expected ${expected}, got ${JSON.stringify(raw[name])}.`);
    }
  }
  if (raw.program === undefined || raw.program === "") {
    throw new LaunchConfigError("Missing launch attribute 'program': the .ts or .js file to debug.");
  }
  const program = path.resolve((raw.cwd as string | undefined) ?? process.cwd(), raw.program as string);
  if (!existsSync(program)) throw new LaunchConfigError(`Program not found: ${program} (launch attribute 'program').`);
  if (!statSync(program).isFile()) throw new LaunchConfigError(`Program is not a file: ${program} (launch attribute 'program').`);
  const cwd = path.resolve((raw.cwd as string | undefined) ?? path.dirname(program));
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new LaunchConfigError(`Invalid launch attribute 'cwd': ${cwd} is not a directory.`);
  }
  return {
    program,
    cwd,
    args: (raw.args as string[] | undefined) ?? [],
    env: (raw.env as Record<string, string | null> | undefined) ?? {},
    stopOnEntry: (raw.stopOnEntry as boolean | undefined) ?? false,
    runtimeExecutable: (raw.runtimeExecutable as string | undefined) ?? "node",
    runtimeArgs: (raw.runtimeArgs as string[] | undefined) ?? [],
    stepIntoEngine: (raw.stepIntoEngine as boolean | undefined) ?? false,
  };
}
