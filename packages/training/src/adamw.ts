// AdamW exactly as torch.optim.AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization"), the
// optimizer HF's Trainer uses for BERT: first the decoupled decay `p -= lr * wd * p`, then Adam with bias
// correction, `p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`. google-research/bert's
// AdamWeightDecayOptimizer differs (no bias correction, decay added to the update); we follow torch so that
// checkpoints trained here and in HF behave alike. BERT's epsilon is 1e-6 (not torch's 1e-8 default).
import { adamwUpdate, fusedKernelsAvailable, type AdamWSlotUpdate } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingConfigError } from './errors.js';

export interface AdamWConfig {
  /** Exponential decay of the first moment. Default 0.9. */
  beta1?: number;
  /** Exponential decay of the second moment. Default 0.999. */
  beta2?: number;
  /** Added to the denominator. Default 1e-6 (BERT's; torch's default is 1e-8). */
  eps?: number;
  /** Decoupled weight decay. Default 0.01. */
  weightDecay?: number;
  /** Which parameters are decayed. Default: all except names ending in `bias` or containing `LayerNorm`. */
  decay?: (name: string) => boolean;
}

/** BERT's rule (run_pretraining.py `exclude_from_weight_decay=["LayerNorm", "layer_norm", "bias"]`, HF's
 * `no_decay = ["bias", "LayerNorm.weight"]`): biases and LayerNorm parameters are not decayed. */
export function defaultDecay(name: string): boolean {
  return !(name.endsWith('bias') || name.includes('LayerNorm'));
}

/** One parameter's moment estimate, serialisable without tfjs. */
export interface MomentTensor {
  shape: number[];
  data: Float32Array;
}

/** The whole optimizer state: per parameter the first / second moments and its own step count (as torch). */
export interface AdamWState {
  params: Record<string, { step: number; m: MomentTensor; v: MomentTensor }>;
}

interface Slot {
  step: number;
  m: tf.Tensor;
  v: tf.Tensor;
}

function checkNumber(field: string, x: number, lo: number, hi: number, loOpen = false, hiOpen = false): void {
  const ok = Number.isFinite(x) && (loOpen ? x > lo : x >= lo) && (hiOpen ? x < hi : x <= hi);
  if (!ok) {
    const range = `${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    throw new TrainingConfigError(`AdamW ${field}: expected a number in ${range}, got ${x}`);
  }
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly decay: (name: string) => boolean;
  private readonly slots = new Map<string, Slot>();

  constructor(config: AdamWConfig = {}) {
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.eps = config.eps ?? 1e-6;
    this.weightDecay = config.weightDecay ?? 0.01;
    this.decay = config.decay ?? defaultDecay;
    checkNumber('beta1', this.beta1, 0, 1, false, true);
    checkNumber('beta2', this.beta2, 0, 1, false, true);
    checkNumber('eps', this.eps, 0, Infinity, false, true);
    checkNumber('weightDecay', this.weightDecay, 0, Infinity, false, true);
  }

  /** Whether weight decay applies to a parameter name. */
  decays(name: string): boolean {
    return this.weightDecay !== 0 && this.decay(name);
  }

  /**
   * One update of every parameter that has a gradient (torch skips parameters whose `.grad` is None; so do we,
   * and their step count does not advance). `lr` is this step's learning rate (from a schedule). `gradScale`
   * [] multiplies every gradient first (the global-norm clipping coefficient, kept on the backend). On WebGPU
   * every parameter is updated by one dispatch (backend `adamwUpdate`); elsewhere tensor by tensor.
   */
  step(params: ReadonlyMap<string, tf.Variable>, grads: ReadonlyMap<string, tf.Tensor>, lr: number, gradScale: tf.Scalar | null = null): void {
    checkNumber('lr', lr, 0, Infinity, false, true);
    const todo: Array<{ p: tf.Variable; slot: Slot; update: AdamWSlotUpdate }> = [];
    for (const [name, g] of grads) {
      const p = params.get(name);
      if (!p) throw new TrainingConfigError(`AdamW.step: gradient for "${name}" has no parameter of that name`);
      if (!tf.util.arraysEqual(p.shape, g.shape)) {
        throw new TrainingConfigError(`AdamW.step: gradient of "${name}" expected shape [${p.shape}], got [${g.shape}]`);
      }
      let slot = this.slots.get(name);
      if (!slot) {
        // zeros from host values (an upload): tf.zerosLike is a compute dispatch per slot on WebGPU
        const zeros = () => tf.keep(tf.tensor(new Float32Array(p.size), p.shape, 'float32'));
        slot = { step: 0, m: zeros(), v: zeros() };
        this.slots.set(name, slot);
      }
      slot.step += 1;
      // torch computes these scalars in double precision, then the tensor ops in float32.
      const bc1 = 1 - this.beta1 ** slot.step;
      const bc2Sqrt = Math.sqrt(1 - this.beta2 ** slot.step);
      const wd = this.decays(name) ? lr * this.weightDecay : 0;
      const update = { param: p, grad: g, m: slot.m, v: slot.v, decayFactor: wd !== 0 ? 1 - wd : 1, stepSize: lr / bc1, bc2Sqrt };
      todo.push({ p, slot, update });
    }
    const hyper = { beta1: this.beta1, beta2: this.beta2, eps: this.eps };
    // one batch on WebGPU (one dispatch); elsewhere tensor by tensor, so only one tensor's new moments coexist
    // with the old ones (the wasm heap is small)
    const batches = fusedKernelsAvailable() ? [todo] : todo.map((t) => [t]);
    for (const batch of batches) {
      const results = adamwUpdate(batch.map((t) => t.update), hyper, gradScale);
      batch.forEach(({ p, slot }, i) => {
        p.assign(results[i].param);
        tf.dispose([results[i].param, slot.m, slot.v]);
        slot.m = results[i].m;
        slot.v = results[i].v;
      });
    }
  }

  /** A copy of the state (moments downloaded to Float32Arrays with awaited reads), for checkpoints. */
  async getState(): Promise<AdamWState> {
    const params: AdamWState['params'] = {};
    for (const [name, s] of this.slots) {
      const [m, v] = await Promise.all([s.m.data() as Promise<Float32Array>, s.v.data() as Promise<Float32Array>]);
      params[name] = { step: s.step, m: { shape: s.m.shape.slice(), data: m }, v: { shape: s.v.shape.slice(), data: v } };
    }
    return { params };
  }

  /** Replaces the state with a saved one (validated: shapes must match the data length). */
  setState(state: AdamWState): void {
    if (state == null || typeof state !== 'object' || typeof state.params !== 'object') {
      throw new TrainingConfigError(`AdamW.setState: expected {params: {...}}, got ${typeof state}`);
    }
    const next = new Map<string, Slot>();
    try {
      for (const [name, p] of Object.entries(state.params)) {
        if (!Number.isInteger(p.step) || p.step < 0) {
          throw new TrainingConfigError(`AdamW.setState: "${name}".step expected a non-negative integer, got ${p.step}`);
        }
        for (const k of ['m', 'v'] as const) {
          const t = p[k];
          const size = t.shape.reduce((a, b) => a * b, 1);
          if (t.data.length !== size) {
            throw new TrainingConfigError(
              `AdamW.setState: "${name}".${k} expected ${size} values for shape [${t.shape}], got ${t.data.length}`,
            );
          }
        }
        next.set(name, {
          step: p.step,
          m: tf.tensor(Float32Array.from(p.m.data), p.m.shape, 'float32'),
          v: tf.tensor(Float32Array.from(p.v.data), p.v.shape, 'float32'),
        });
      }
    } catch (e) {
      for (const s of next.values()) tf.dispose([s.m, s.v]);
      throw e;
    }
    this.dispose();
    for (const [k, s] of next) this.slots.set(k, s);
  }

  /** Step count of one parameter (0 before its first update). */
  stepOf(name: string): number {
    return this.slots.get(name)?.step ?? 0;
  }

  /** Frees the moment tensors. */
  dispose(): void {
    for (const s of this.slots.values()) tf.dispose([s.m, s.v]);
    this.slots.clear();
  }
}
