// A task's output layer under its HF module name (`classifier`, `qa_outputs`): one nn.Linear whose weight is
// [out, in] in checkpoints and kept [in, out] here, like every Dense of the encoder.
import { Dense, headTensors, type Init, type RawTensor, toFloat32 } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import { HeadConfigError } from './errors';

export class LinearHead {
  readonly dense: Dense;

  constructor(
    /** HF module name: `classifier` or `qa_outputs`. */
    readonly prefix: string,
    readonly inDim: number,
    readonly outDim: number,
    init: Init,
  ) {
    this.dense = new Dense(inDim, outDim, init);
  }

  /** [..., in] → [..., out] */
  apply<R extends tf.Rank>(x: tf.Tensor<R>): tf.Tensor<R> {
    return this.dense.apply(x);
  }

  /** `<prefix>.weight` / `<prefix>.bias` → variable (the kernel stored [in, out]). */
  parameters(): Map<string, tf.Variable> {
    return new Map([
      [`${this.prefix}.weight`, this.dense.kernel],
      [`${this.prefix}.bias`, this.dense.bias],
    ]);
  }

  /** Copies `<prefix>.weight` [out, in] and `<prefix>.bias` [out] from a checkpoint; throws naming what is wrong. */
  load(tensors: ReadonlyMap<string, RawTensor>): void {
    const w = tensors.get(`${this.prefix}.weight`);
    const b = tensors.get(`${this.prefix}.bias`);
    if (!w || !b) throw new HeadConfigError(`${this.prefix}.weight/bias`, 'both tensors in the checkpoint', `${w ? '' : 'no weight '}${b ? '' : 'no bias'}`.trim());
    if (w.shape.length !== 2 || w.shape[0] !== this.outDim || w.shape[1] !== this.inDim) {
      throw new HeadConfigError(`${this.prefix}.weight`, `shape [${this.outDim}, ${this.inDim}]`, `[${w.shape}]`);
    }
    if (b.shape.length !== 1 || b.shape[0] !== this.outDim) {
      throw new HeadConfigError(`${this.prefix}.bias`, `shape [${this.outDim}]`, `[${b.shape}]`);
    }
    tf.tidy(() => {
      const wt = tf.tensor2d(toFloat32(w), [this.outDim, this.inDim]); // [out, in]
      this.dense.kernel.assign(tf.transpose(wt)); // [in, out]
      this.dense.bias.assign(tf.tensor1d(toFloat32(b)));
    });
  }

  /** The two tensors as HF writes them (weight [out, in], F32), read awaited. */
  stateDict(): Promise<Map<string, RawTensor>> {
    return headTensors([
      { name: `${this.prefix}.weight`, variable: this.dense.kernel, transposed: true },
      { name: `${this.prefix}.bias`, variable: this.dense.bias, transposed: false },
    ]);
  }

  dispose(): void {
    this.dense.kernel.dispose();
    this.dense.bias.dispose();
  }
}
