/** Nodes ready to run, highest sequence number first (the most recently created op runs first, as in PyTorch). */
import type { Node } from "./node";

export class ReadyQueue {
  private readonly heap: Node[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(node: Node): void {
    const heap = this.heap;
    heap.push(node);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.sequenceNr >= node.sequenceNr) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = node;
  }

  pop(): Node {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && heap[right]!.sequenceNr > heap[left]!.sequenceNr ? right : left;
        if (heap[child]!.sequenceNr <= last.sequenceNr) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
