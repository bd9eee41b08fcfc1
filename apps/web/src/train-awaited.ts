// The step loop of @bertkit/training's `train` (one micro-batch per step, global-norm clipping at
// 1.0 as BERT, AdamW, the given schedule) with every read awaited. `train` reads the loss and the gradient norm
// with dataSync(); on WebGPU that sync readback returned zeros under SwiftShader here (loss shown as 0, clipping
// skipped), and it blocks the page on real GPUs. Awaiting `data()` keeps the numbers right and the page live.
import type { AdamW, Schedule } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';

export interface AwaitedStep {
  step: number;
  loss: number;
  /** Scalar metrics the loss function returned (e.g. mlmLoss, nspLoss). */
  metrics: Record<string, number>;
  lr: number;
  gradNorm: number;
  tokensPerSec: number;
}

export interface AwaitedTrainOptions<B> {
  /** Named trainable variables (HF names). */
  params: Map<string, tf.Variable>;
  /** Training-mode loss of one batch (dropout on); runs inside tf.variableGrads. */
  lossFn: (batch: B) => { loss: tf.Scalar; metrics?: Record<string, tf.Scalar> };
  tokensIn: (batch: B) => number;
  optimizer: AdamW;
  schedule: Schedule;
  steps: number;
  data: AsyncIterable<B>;
  signal?: AbortSignal;
  clipNorm?: number;
  onStep: (s: AwaitedStep) => void;
}

export async function trainAwaited<B>(o: AwaitedTrainOptions<B>): Promise<number> {
  const params = o.params;
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
      const out = o.lossFn(batch);
      kept = out.metrics ?? {};
      for (const m of Object.values(kept)) tf.keep(m);
      return out.loss;
    }, varList);
    const named = new Map<string, tf.Tensor>();
    for (const [k, g] of Object.entries(grads)) if (g != null) named.set(hfName.get(k)!, g);
    const normT = tf.tidy(() => tf.norm(tf.stack([...named.values()].map((g) => tf.norm(g))))); // torch clip_grad_norm_
    const keys = Object.keys(kept);
    const [loss, norm, ...ms] = await Promise.all([value.data(), normT.data(), ...keys.map((k) => kept[k].data())]);
    const coef = Math.min(1, clip / (norm[0] + 1e-6));
    const clipped = new Map([...named].map(([k, g]) => [k, tf.tidy(() => tf.mul(g, tf.scalar(coef)))]));
    const lr = o.schedule(step);
    o.optimizer.step(params, clipped, lr);
    tf.dispose([value, normT, ...Object.values(kept), ...named.values(), ...clipped.values()]);
    step += 1;
    tokens += o.tokensIn(batch);
    const metrics = Object.fromEntries(keys.map((k, i) => [k, ms[i][0]]));
    o.onStep({ step, loss: loss[0], metrics, lr, gradNorm: norm[0], tokensPerSec: tokens / ((performance.now() - t0) / 1000) });
  }
  return step;
}
