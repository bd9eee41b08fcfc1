// HF BertPooler for training: tanh(dense([CLS] row)) and its backward pass, which returns the gradient of the
// whole sequence output (the [CLS] row's gradient at t = 0, zeros elsewhere).
import type { GradOps } from './grad-ops.js';
import type { GraphIo } from './graph-inputs.js';
import { addGrad, type EncoderTrain, type GradParts } from './encoder-train.js';

export interface PoolerTrain {
  pooled: string; // [B, H]
  /** dPooled [B, H] → the pooler's gradients into `grads`, and dSequence [B·T, H]. */
  backward(dPooled: string, grads: GradParts): string;
}

export function poolerTrain(ops: GradOps, io: GraphIo, enc: EncoderTrain, h: number): PoolerTrain {
  const g = ops.g;
  const seq3 = g.op('Reshape', [enc.sequence, g.op('Concat', [enc.bt, g.int64([h])], { axis: { int: 0 } })]); // [B, T, H]
  const first = g.op('Gather', [seq3, g.int64([0], true)], { axis: { int: 1 } }); // [B, H]
  const pw = io.param('bert.pooler.dense.weight', [h, h]);
  const pooled = g.op('Tanh', [ops.linear(first, pw, io.param('bert.pooler.dense.bias', [h]))]); // [B, H]
  return {
    pooled,
    backward(dPooled, grads) {
      const dPre = ops.mul(dPooled, g.op('Sub', [g.scalar(1, 'one'), ops.mul(pooled, pooled)])); // tanh' = 1 − tanh²
      const pool = ops.linearBackward(first, pw, dPre);
      addGrad(grads, 'bert.pooler.dense.weight', pool.dW);
      addGrad(grads, 'bert.pooler.dense.bias', pool.db);
      // the [CLS] row's gradient placed at t = 0 of every sequence: pad [B, 1, H] to [B, T, H]
      const t = g.op('Slice', [enc.bt, g.int64([1]), g.int64([2])]); // [1] = T
      const pads = g.op('Concat', [g.int64([0, 0, 0, 0]), g.op('Sub', [t, g.int64([1])]), g.int64([0])], { axis: { int: 0 } });
      const dFirst = g.op('Pad', [g.op('Unsqueeze', [pool.dx, g.int64([1])]), pads]); // [B, T, H]
      return g.op('Reshape', [dFirst, g.int64([-1, h])]);
    },
  };
}
