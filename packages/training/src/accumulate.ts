// Gradient accumulation: the gradients of k micro-batches are summed and, by default, divided by k before one
// optimizer step — the same update as one step on the concatenated batch when the loss is a per-batch mean and
// micro-batches carry equal weight (HF Trainer divides each micro-batch loss by gradient_accumulation_steps).
import * as tf from '@tensorflow/tfjs-core';

export class GradAccumulator {
  private sums = new Map<string, tf.Tensor>();
  private n = 0;

  /** Number of micro-batches added since the last `take`. */
  get count(): number {
    return this.n;
  }

  /** Adds one micro-batch's gradients (the caller keeps ownership of `grads`). */
  add(grads: ReadonlyMap<string, tf.Tensor>): void {
    for (const [name, g] of grads) {
      const prev = this.sums.get(name);
      this.sums.set(name, prev ? tf.tidy(() => tf.add(prev, g)) : tf.clone(g));
      prev?.dispose();
    }
    this.n += 1;
  }

  /** The accumulated gradients, averaged over the micro-batches (`mode: 'sum'` to keep the sum); resets. */
  take(mode: 'mean' | 'sum' = 'mean'): Map<string, tf.Tensor> {
    const n = this.n;
    const out = new Map<string, tf.Tensor>();
    for (const [name, s] of this.sums) {
      out.set(name, mode === 'mean' && n > 1 ? tf.tidy(() => tf.div(s, tf.scalar(n))) : s);
      if (mode === 'mean' && n > 1) s.dispose();
    }
    this.sums = new Map();
    this.n = 0;
    return out;
  }

  /** Frees whatever is held. */
  dispose(): void {
    tf.dispose([...this.sums.values()]);
    this.sums.clear();
    this.n = 0;
  }
}
