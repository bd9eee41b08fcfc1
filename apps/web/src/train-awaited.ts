// The pre-training step loop of @bertkit/training's `train` (one micro-batch per step, global-norm clipping at
// 1.0 as BERT, AdamW, the given schedule) with every read awaited. `train` reads the loss and the gradient norm
// with dataSync(); on WebGPU that sync readback returned zeros under SwiftShader here (loss shown as 0, clipping
// skipped), and it blocks the page on real GPUs. Awaiting `data()` keeps the numbers right and the page live.
import type { Rng } from '@bertkit/backend';
import type { BertForPreTraining, PretrainingBatch } from '@bertkit/pretraining';
import type { AdamW, Schedule } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';

export interface AwaitedStep {
  step: number;
  loss: number;
  mlmLoss: number;
  nspLoss: number;
  lr: number;
  gradNorm: number;
  tokensPerSec: number;
}

export interface AwaitedTrainOptions {
  model: BertForPreTraining;
  optimizer: AdamW;
  schedule: Schedule;
  steps: number;
  data: AsyncIterable<PretrainingBatch>;
  rng: Rng;
  signal?: AbortSignal;
  clipNorm?: number;
  onStep: (s: AwaitedStep) => void;
}

export async function trainAwaited(o: AwaitedTrainOptions): Promise<number> {
  const params = o.model.parameters();
  const varList = [...params.values()];
  const hfName = new Map([...params].map(([name, v]) => [v.name, name]));
  const clip = o.clipNorm ?? 1.0;
  const t0 = performance.now();
  let tokens = 0;
  let step = 0;
  const it = o.data[Symbol.asyncIterator]();
  while (step < o.steps && !o.signal?.aborted) {
    const next = await it.next();
    if (next.done) break;
    const batch = next.value;
    let kept: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const out = o.model.loss(batch, { training: true, rng: o.rng });
      kept = out.metrics as Record<string, tf.Scalar>;
      for (const m of Object.values(kept)) tf.keep(m);
      return out.loss;
    }, varList);
    const named = new Map<string, tf.Tensor>();
    for (const [k, g] of Object.entries(grads)) if (g != null) named.set(hfName.get(k)!, g);
    const normT = tf.tidy(() => tf.norm(tf.stack([...named.values()].map((g) => tf.norm(g))))); // torch clip_grad_norm_
    const [loss, norm, mlm, nsp] = await Promise.all([value.data(), normT.data(), kept.mlmLoss?.data(), kept.nspLoss?.data()]);
    const coef = Math.min(1, clip / (norm[0] + 1e-6));
    const clipped = new Map([...named].map(([k, g]) => [k, tf.tidy(() => tf.mul(g, tf.scalar(coef)))]));
    const lr = o.schedule(step);
    o.optimizer.step(params, clipped, lr);
    tf.dispose([value, normT, ...Object.values(kept), ...named.values(), ...clipped.values()]);
    step += 1;
    for (const m of batch.attentionMask) tokens += m;
    o.onStep({ step, loss: loss[0], mlmLoss: mlm?.[0] ?? NaN, nspLoss: nsp?.[0] ?? NaN, lr, gradNorm: norm[0], tokensPerSec: tokens / ((performance.now() - t0) / 1000) });
  }
  return step;
}
