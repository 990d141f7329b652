/**
 * The one hook the Tensor `.grad` setter calls, for the debugger's data breakpoints on a
 * gradient. Null unless a debugger watches some tensor's gradient: the setter pays one test.
 */
import type { Tensor } from "../tensor";

export type GradWriteObserver = (tensor: Tensor) => void;

export let gradWriteObserver: GradWriteObserver | null = null;

export function setGradWriteObserver(observer: GradWriteObserver | null): void {
  gradWriteObserver = observer;
}
