/**
 * A binary min-heap of numbers, used by BPE to pop the best merge (lowest rank, then leftmost
 * position) packed as `rank * 2^31 + position`.
 */
export class MergeQueue {
  private readonly heap: number[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(key: number): void {
    const heap = this.heap;
    let index = heap.push(key) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]! <= key) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = key;
  }

  pop(): number | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let index = 0;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && heap[right]! < heap[left]! ? right : left;
      if (heap[child]! >= last) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
