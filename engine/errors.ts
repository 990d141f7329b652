/**
 * Errors named like PyTorch's, so that messages and `instanceof` checks read the same as in
 * Python. Each sets `name` so stack traces and the debugger show "RuntimeError: ...".
 * RuntimeError, ValueError and IndexError are what the debugger's `autogradErrors` filter
 * stops at: each reports itself as it is created (engine/debug/errorHook.ts). Each has its
 * own constructor for that, not a shared base class: `name` is a field, set only after a base
 * constructor returns, and the hook reads it.
 */
import { errorRaised } from "./debug/errorHook";

export class RuntimeError extends Error {
  override name = "RuntimeError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    errorRaised(this);
  }
}

export class ValueError extends Error {
  override name = "ValueError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    errorRaised(this);
  }
}

export class IndexError extends Error {
  override name = "IndexError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    errorRaised(this);
  }
}

/** Python's KeyError (registerParameter/registerModule/registerBuffer with a bad name). */
export class KeyError extends Error {
  override name = "KeyError";
}

/** PyTorch raises TypeError for wrong argument kinds; JS already has TypeError, so ours is distinct. */
export class TorchTypeError extends TypeError {
  override name = "TypeError";
}

/** Marks errors the engine raises, so the debugger's `autogradErrors` filter can recognise them. */
export const ENGINE_ERROR = Symbol.for("gradscope.engineError");
for (const cls of [RuntimeError, ValueError, IndexError, KeyError, TorchTypeError]) {
  Object.defineProperty(cls.prototype, ENGINE_ERROR, { value: true });
}
