// The tfjs engine of the training loop: gradients by tfjs autograd on the current backend, accumulated on the
// backend, clipped and applied by @bertkit/training's AdamW; losses, metrics and norms stay on the backend until
// the loop logs (one read-back, step-scalars.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { AdamW } from './adamw.js';
import { GradAccumulator } from './accumulate.js';
import { clipCoefficient, globalNormTensor } from './clip.js';
import type { LossContext, LossFn } from './loop.js';
import type { StepRunner } from './step-runner.js';
import { StepScalarLog, type PendingStep, type StepScalars } from './step-scalars.js';

export interface TfjsStepRunnerOptions<B> {
  params: ReadonlyMap<string, tf.Variable>;
  lossFn: LossFn<B>;
  optimizer: AdamW;
  /** Global-norm clipping threshold; null disables. */
  clipNorm: number | null;
}

const emptyPending = (): PendingStep => ({ losses: [], metrics: new Map(), gradNorm: null });

export class TfjsStepRunner<B> implements StepRunner<B> {
  private readonly varList: tf.Variable[];
  private readonly hfName: Map<string, string>;
  private readonly acc = new GradAccumulator();
  private readonly log = new StepScalarLog();
  private pending = emptyPending();

  constructor(private readonly o: TfjsStepRunnerOptions<B>) {
    this.varList = [...o.params.values()];
    this.hfName = new Map([...o.params].map(([name, v]) => [v.name, name]));
  }

  micro(batch: B, ctx: LossContext): void {
    let kept: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const out = this.o.lossFn(batch, ctx);
      kept = out.metrics ?? {};
      for (const m of Object.values(kept)) tf.keep(m); // the forward pass runs inside a tidy
      return out.loss;
    }, this.varList);
    // Nothing is read here: the values stay on the backend until the loop logs.
    const named = new Map<string, tf.Tensor>();
    for (const [tfName, g] of Object.entries(grads)) {
      if (g != null) named.set(this.hfName.get(tfName)!, g);
    }
    this.acc.add(named);
    tf.dispose([...named.values()]);
    this.pending.losses.push(value);
    for (const [k, v] of Object.entries(kept)) this.pending.metrics.set(k, [...(this.pending.metrics.get(k) ?? []), v]);
  }

  discard(): void {
    this.acc.dispose();
    tf.dispose([...this.pending.losses, ...[...this.pending.metrics.values()].flat()]);
    this.pending = emptyPending();
  }

  update(lr: number, logged: boolean): void {
    const pending = this.pending;
    this.pending = emptyPending();
    this.log.push(pending);
    const grads = this.acc.take('mean');
    let gradScale: tf.Scalar | null = null;
    if (this.o.clipNorm !== null) {
      // clipping stays on the backend: the coefficient scales the gradients inside the AdamW update
      const c = clipCoefficient(grads, this.o.clipNorm);
      gradScale = c.coef;
      pending.gradNorm = c.norm;
    } else if (logged) {
      pending.gradNorm = globalNormTensor(grads); // only a logged step reports it
    }
    this.o.optimizer.step(this.o.params, grads, lr, gradScale);
    tf.dispose([...grads.values()]);
    gradScale?.dispose();
  }

  flush(): Promise<StepScalars[]> {
    return this.log.flush();
  }

  async sync(): Promise<void> {}

  dispose(): void {
    this.discard();
    this.log.dispose();
  }
}
