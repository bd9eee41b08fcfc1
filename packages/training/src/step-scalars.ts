// The per-step scalars a training run reports (loss, task metrics, gradient norm), kept on the backend until the
// run logs: reading a value back stalls a GPU pipeline until every queued kernel has run, so the loop reads once
// per `logEvery` steps — every pending scalar stacked into one tensor, one awaited `data()` — instead of once per
// scalar per micro-batch. Averages are taken in JavaScript (double precision) over the float32 values read back,
// exactly as when each value was read as soon as it was computed, so the numbers do not depend on when they
// are read.
import * as tf from '@tensorflow/tfjs-core';

/** What one optimizer step left on the backend: per micro-batch the loss and each metric, and the grad norm. */
export interface PendingStep {
  losses: tf.Scalar[];
  metrics: Map<string, tf.Scalar[]>;
  /** Global gradient norm before clipping; null when the step did not compute it. */
  gradNorm: tf.Scalar | null;
}

/** One step's values as read back: micro-batch means, as the `step` event reports them. */
export interface StepScalars {
  loss: number;
  metrics: Record<string, number>;
  gradNorm: number;
}

export class StepScalarLog {
  private pending: PendingStep[] = [];

  get size(): number {
    return this.pending.length;
  }

  /** Takes ownership of the step's tensors. */
  push(step: PendingStep): void {
    this.pending.push(step);
  }

  /** Reads every pending step (one read-back), frees their tensors and returns their values in order. */
  async flush(): Promise<StepScalars[]> {
    const steps = this.pending;
    this.pending = [];
    if (steps.length === 0) return [];
    const list: tf.Scalar[] = [];
    for (const s of steps) {
      list.push(...s.losses);
      for (const ms of s.metrics.values()) list.push(...ms);
      if (s.gradNorm) list.push(s.gradNorm);
    }
    let values: Float32Array;
    try {
      const stacked = tf.tidy(() => tf.concat(list.map((t) => tf.reshape(t.dtype === 'float32' ? t : tf.cast(t, 'float32'), [1])))); // [n]
      try {
        values = (await stacked.data()) as Float32Array;
      } finally {
        stacked.dispose();
      }
    } finally {
      disposeSteps(steps);
    }
    let i = 0;
    return steps.map((s) => {
      const n = s.losses.length;
      let lossSum = 0;
      for (let j = 0; j < n; j++) lossSum += values[i++];
      const metrics: Record<string, number> = {};
      for (const [k, ms] of s.metrics) {
        let sum = 0;
        for (let j = 0; j < ms.length; j++) sum += values[i++];
        metrics[k] = sum / n;
      }
      const gradNorm = s.gradNorm ? values[i++] : Number.NaN;
      return { loss: lossSum / n, metrics, gradNorm };
    });
  }

  /** Frees whatever is pending without reading it. */
  dispose(): void {
    disposeSteps(this.pending);
    this.pending = [];
  }
}

function disposeSteps(steps: PendingStep[]): void {
  // a metric may be the loss tensor itself (e.g. mlmLoss without NSP): dispose each tensor once
  const all = new Set<tf.Tensor>();
  for (const s of steps) {
    s.losses.forEach((t) => all.add(t));
    for (const ms of s.metrics.values()) ms.forEach((t) => all.add(t));
    if (s.gradNorm) all.add(s.gradNorm);
  }
  tf.dispose([...all]);
}
