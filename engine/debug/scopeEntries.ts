/** The (name, value) pairs of scope objects the debugger passes in, read safely. */
export function* scopeEntries(scopes: readonly unknown[]): Generator<[string, unknown]> {
  for (const scope of scopes) {
    if (typeof scope !== "object" || scope === null) continue;
    for (const key of Object.keys(scope)) {
      let value: unknown;
      try {
        value = (scope as Record<string, unknown>)[key];
      } catch {
        continue; // an uninitialised `let` in a scope object throws on read
      }
      yield [key, value];
    }
  }
}
