// A binary max-heap of (count, pair key) entries for the merge loop. Entries may be stale: the loop checks each
// popped entry against the live pair count and re-pushes it when it changed, as HF tokenizers' BpeTrainer does
// with its `BinaryHeap<Merge>` (tokenizers/src/models/bpe/trainer.rs, `do_train`).
//
// Order: higher count first; among equal counts the smaller pair key first. A key is `left * 2^24 + right`, so
// "smaller key" is HF's tie-break `other.pair.cmp(&self.pair)` (smaller (left, right) ids first).

export class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** True when entry i ranks above entry j. */
  private above(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i]!;
    this.counts[i] = this.counts[j]!;
    this.counts[j] = c;
    const k = this.keys[i]!;
    this.keys[i] = this.keys[j]!;
    this.keys[j] = k;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the top entry and returns it as [count, key]; undefined when empty. */
  pop(): [number, number] | undefined {
    const n = this.keys.length;
    if (n === 0) return undefined;
    const top: [number, number] = [this.counts[0]!, this.keys[0]!];
    const lastCount = this.counts.pop()!;
    const lastKey = this.keys.pop()!;
    if (n > 1) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      const m = n - 1;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < m && this.above(l, best)) best = l;
        if (r < m && this.above(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}
