// A fully connected layer (HF `nn.Linear`). The kernel is kept [in, out] so the forward pass is one plain
// product through @bertkit/backend's `linear`; HF's `weight` is [out, in] and is transposed once at load/save.
import { linear } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { constantVariable, weightVariable, type Init, type NamedParams } from './parameters.js';

export class Dense {
  readonly kernel: tf.Variable; // [in, out]
  readonly bias: tf.Variable; // [out]

  constructor(
    readonly inDim: number,
    readonly outDim: number,
    init: Init,
  ) {
    this.kernel = weightVariable([inDim, outDim], init);
    this.bias = constantVariable([outDim], 0);
  }

  /** [..., in] -> [..., out] */
  apply<R extends tf.Rank>(x: tf.Tensor<R>): tf.Tensor<R> {
    return linear(x, this.kernel as tf.Tensor2D, this.bias as tf.Tensor1D);
  }

  params(): NamedParams {
    return [
      ['weight', { variable: this.kernel, transposed: true }],
      ['bias', { variable: this.bias, transposed: false }],
    ];
  }
}
