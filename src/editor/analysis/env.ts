/**
 * The abstract state (variable -> facts) as layers: a branch or loop body writes into a
 * child layer over its entry state, and merging back touches only what the children wrote.
 * Copying whole maps instead made a 1,000-line file quadratic (every `if` copied every
 * variable of the file).
 */
import { type Binding, type Facts, joinFacts } from "./facts";

export class Env {
  private readonly own = new Map<Binding, Facts>();

  constructor(private readonly parent: Env | null = null) {}

  get(binding: Binding): Facts | undefined {
    for (let layer: Env | null = this; layer; layer = layer.parent) {
      const facts = layer.own.get(binding);
      if (facts !== undefined) return facts;
    }
    return undefined;
  }

  set(binding: Binding, facts: Facts): void {
    this.own.set(binding, facts);
  }

  child(): Env {
    return new Env(this);
  }

  /** Keeps a finished child's writes as they are (the child's path is the only one). */
  commit(child: Env): void {
    for (const [binding, facts] of child.own) this.own.set(binding, facts);
  }

  /**
   * Control flow merges: this layer becomes the join of the given children (each a path
   * that started here). A variable only one path declared keeps that path's facts.
   */
  joinFrom(paths: readonly Env[]): void {
    const touched = new Set<Binding>();
    for (const path of paths) for (const binding of path.own.keys()) touched.add(binding);
    for (const binding of touched) {
      let joined: Facts | undefined;
      for (const path of paths) {
        const facts = path.get(binding);
        if (facts !== undefined) joined = joined === undefined ? facts : joinFacts(joined, facts);
      }
      if (joined !== undefined) this.own.set(binding, joined);
    }
  }
}
