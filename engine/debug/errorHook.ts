/**
 * The engine's errors as they are raised, for the debugger's `autogradErrors` filter: the
 * error classes (engine/errors.ts) report each new error here, and the inspector, while the
 * filter is on, calls a hook the adapter has a breakpoint in. So only the engine's own errors
 * stop the program; every other exception runs at full speed (V8 pausing on all exceptions
 * costs a round trip to the adapter per throw, ~40 ms, even for ones the program catches).
 */
let observer: ((error: Error) => void) | null = null;
let quiet = 0;

export function setErrorObserver(next: ((error: Error) => void) | null): void {
  observer = next;
}

export function errorRaised(error: Error): void {
  if (observer !== null && quiet === 0) observer(error);
}

/**
 * `fn` without error stops: the debugger's own calls into the engine (a graph that reads a
 * freed node's saved tensors catches the RuntimeError) must never pause the program.
 */
export function withoutErrorStops<T>(fn: () => T): T {
  quiet++;
  try {
    return fn();
  } finally {
    quiet--;
  }
}
