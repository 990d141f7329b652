/**
 * The one observable warnings channel. Engine code calls `warn(message)`; listeners (tests,
 * the debugger's inspector) subscribe. By default each distinct (message, source location)
 * pair is printed to stderr once, as Python's default warnings filter does.
 */
import { callerLocation, type SourceLocation } from "./debug/location";

export interface Warning {
  message: string;
  category: "UserWarning";
  location: SourceLocation | null;
}

type Listener = (warning: Warning) => void;

const listeners = new Set<Listener>();
const printedKeys = new Set<string>();
let printToStderr = true;

export function warn(message: string): void {
  const warning: Warning = { message, category: "UserWarning", location: callerLocation() };
  for (const listener of listeners) listener(warning);
  if (!printToStderr) return;
  const where = warning.location ? `${warning.location.file}:${warning.location.line}` : "<unknown>";
  const key = `${where}\u0000${message}`;
  if (printedKeys.has(key)) return;
  printedKeys.add(key);
  process.stderr.write(`${where}: UserWarning: ${message}\n`);
}

/** Subscribe to every warning (not only the first per location). Returns the unsubscribe. */
export function onWarning(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Run `fn` and return the warnings it emitted (like `warnings.catch_warnings(record=True)`). */
export function captureWarnings<T>(fn: () => T): { result: T; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const stop = onWarning((w) => warnings.push(w));
  const previous = printToStderr;
  printToStderr = false;
  try {
    return { result: fn(), warnings };
  } finally {
    printToStderr = previous;
    stop();
  }
}

/** Turn the default once-per-location printing to stderr on or off. */
export function setWarningsPrinted(on: boolean): void {
  printToStderr = on;
}
