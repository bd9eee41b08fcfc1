// Task and pre-training heads (cls.predictions.*, cls.seq_relationship.*, classifier.*, qa_outputs.*) keep their
// parameters as HF-named variables. Loading them from a checkpoint's tensors and writing them back in HF layout
// ([out, in] for dense weights) is the same for every head, so it lives here once.
import * as tf from '@tensorflow/tfjs-core';
import { toFloat32, type RawTensor } from './checkpoint/index.js';

/** A head's tensor is missing from a checkpoint or has the wrong shape. */
export class HeadWeightsError extends Error {
  override readonly name = 'HeadWeightsError';
}

/** One head parameter: HF name, variable, and whether HF stores it transposed ([out, in]). */
export interface HeadParam {
  name: string;
  variable: tf.Variable;
  transposed: boolean;
}

/**
 * Copies each parameter's tensor from a checkpoint (HF layout, transposed where `transposed`). A missing tensor is a
 * HeadWeightsError naming it, unless `allowMissing` (then the parameter keeps its initial value); a wrong shape always is.
 */
export function assignHeadParams(params: readonly HeadParam[], tensors: ReadonlyMap<string, RawTensor>, options: { allowMissing?: boolean } = {}): void {
  for (const p of params) {
    const t = tensors.get(p.name);
    if (!t) {
      if (options.allowMissing) continue;
      throw new HeadWeightsError(`checkpoint: tensor "${p.name}" expected, not found (pass rng to initialise it)`);
    }
    const shape = p.variable.shape as number[];
    const want = p.transposed ? [shape[1], shape[0]] : shape;
    if (!tf.util.arraysEqual(t.shape, want)) throw new HeadWeightsError(`checkpoint: "${p.name}" expected shape [${want}], got [${t.shape}]`);
    const data = toFloat32(t);
    tf.tidy(() => {
      const x = tf.tensor(Float32Array.from(data), want, 'float32');
      p.variable.assign(p.transposed ? tf.transpose(x) : x); // HF [out, in] → [in, out]
    });
  }
}

/** The parameters' values in HF layout (awaited reads), for `saveModel(dir, bert, { extraTensors })`. */
export async function headTensors(params: readonly HeadParam[]): Promise<Map<string, RawTensor>> {
  const out = new Map<string, RawTensor>();
  for (const p of params) {
    const t = tf.tidy(() => (p.transposed ? tf.transpose(p.variable) : tf.clone(p.variable)));
    try {
      out.set(p.name, { dtype: 'F32', shape: t.shape.slice(), data: (await t.data()) as Float32Array });
    } finally {
      t.dispose();
    }
  }
  return out;
}
