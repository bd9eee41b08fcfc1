// The forward and backward passes of the operations a BERT training step is made of, written as ONNX nodes
// (ai.onnx opset 17, standard ops only) so that ONNX Runtime runs a whole step as one graph. Every backward
// function takes what its forward kept and the gradient of the output, and returns the gradients of the inputs;
// the formulas are the ones PyTorch's autograd applies (and @bertkit/backend's fused kernels), written out.
// Rows are 2-D [R, F] (R = B·T or the number of predictions) except inside attention.
import type { HiddenAct } from '@bertkit/encoder';
import type { GraphBuilder } from '../graph-builder.js';

export interface LinearGrads {
  dx: string; // [R, in]
  dW: string; // [in, out]
  db: string; // [out]
}

export interface LayerNormSaved {
  x: string; // [R, H] the input
  mean: string; // [R, 1]
  invStd: string; // [R, 1]
  gamma: string; // [H]
}

export interface LayerNormGrads {
  dx: string; // [R, H]
  dGamma: string; // [H]
  dBeta: string; // [H]
}

const ints = (...a: number[]) => ({ ints: a });

export class GradOps {
  constructor(readonly g: GraphBuilder) {}

  /** Σ over `axes` (ReduceSum takes its axes as an input since opset 13). */
  sum(x: string, axes: number[], keepDims: boolean): string {
    return this.g.op('ReduceSum', [x, this.g.int64(axes)], { keepdims: { int: keepDims ? 1 : 0 } });
  }

  /** Mean over `axes` (an attribute up to opset 17). */
  mean(x: string, axes: number[], keepDims: boolean): string {
    return this.g.op('ReduceMean', [x], { axes: ints(...axes), keepdims: { int: keepDims ? 1 : 0 } });
  }

  mul(a: string, b: string): string {
    return this.g.op('Mul', [a, b]);
  }

  add(a: string, b: string): string {
    return this.g.op('Add', [a, b]);
  }

  /** Sum of several values (at least one). */
  addAll(values: readonly string[]): string {
    return values.slice(1).reduce((acc, v) => this.add(acc, v), values[0]);
  }

  /** x [R, in] · W [in, out] + b [out] (the tfjs layout of a Dense kernel: [in, out]). */
  linear(x: string, w: string, b: string): string {
    return this.g.op('Gemm', [x, w, b]); // [R, out]
  }

  /** dx = dy · Wᵀ, dW = xᵀ · dy, db = Σ_rows dy. */
  linearBackward(x: string, w: string, dy: string): LinearGrads {
    return {
      dx: this.g.op('Gemm', [dy, w], { transB: { int: 1 } }), // [R, in]
      dW: this.g.op('Gemm', [x, dy], { transA: { int: 1 } }), // [in, out]
      db: this.sum(dy, [0], false), // [out]
    };
  }

  /** LayerNorm over the last axis; also returns what its backward pass needs (ONNX's Mean and InvStdDev outputs). */
  layerNorm(x: string, gamma: string, beta: string, eps: number): { y: string; saved: LayerNormSaved } {
    const [y, mean, invStd] = this.g.opN('LayerNormalization', [x, gamma, beta], { axis: { int: -1 }, epsilon: eps }, { outputs: 3 });
    return { y, saved: { x, mean, invStd, gamma } };
  }

  /**
   * x̂ = (x − μ)·s, g = dy·γ: dx = s·(g − mean(g) − x̂·mean(g·x̂)), dγ = Σ_rows dy·x̂, dβ = Σ_rows dy.
   */
  layerNormBackward(s: LayerNormSaved, dy: string): LayerNormGrads {
    const g = this.g;
    const xHat = this.mul(g.op('Sub', [s.x, s.mean]), s.invStd); // [R, H]
    const gdy = this.mul(dy, s.gamma); // [R, H]
    const meanG = this.mean(gdy, [-1], true); // [R, 1]
    const meanGx = this.mean(this.mul(gdy, xHat), [-1], true); // [R, 1]
    const dx = this.mul(s.invStd, g.op('Sub', [g.op('Sub', [gdy, meanG]), this.mul(xHat, meanGx)])); // [R, H]
    return { dx, dGamma: this.sum(this.mul(dy, xHat), [0], false), dBeta: this.sum(dy, [0], false) };
  }

  /** HF ACT2FN: `gelu` (erf), `gelu_new` / `gelu_pytorch_tanh` (tanh form), `relu`. */
  activation(z: string, act: HiddenAct): string {
    const g = this.g;
    if (act === 'relu') return g.op('Relu', [z]);
    const half = this.mul(z, g.scalar(0.5, 'half'));
    if (act === 'gelu') {
      return this.mul(half, this.add(g.op('Erf', [g.op('Div', [z, g.scalar(Math.SQRT2, 'sqrt2')])]), g.scalar(1, 'one')));
    }
    return this.mul(half, this.add(g.op('Tanh', [this.tanhArg(z)]), g.scalar(1, 'one')));
  }

  /** √(2/π)·(z + 0.044715·z³), the tanh form's argument. */
  private tanhArg(z: string): string {
    const g = this.g;
    const cube = this.mul(this.mul(z, z), z);
    return this.mul(this.add(z, this.mul(cube, g.scalar(0.044715, 'gelu_c'))), g.scalar(Math.sqrt(2 / Math.PI), 'sqrt_2_over_pi'));
  }

  /** dz = dy · act'(z). */
  activationBackward(z: string, act: HiddenAct, dy: string): string {
    const g = this.g;
    if (act === 'relu') return this.mul(dy, g.op('Cast', [g.op('Greater', [z, g.scalar(0, 'zero')])], { to: { int: 1 } }));
    const one = g.scalar(1, 'one');
    const half = g.scalar(0.5, 'half');
    if (act === 'gelu') {
      // Φ(z) + z·φ(z)
      const cdf = this.mul(half, this.add(g.op('Erf', [g.op('Div', [z, g.scalar(Math.SQRT2, 'sqrt2')])]), one));
      const pdf = this.mul(g.op('Exp', [this.mul(this.mul(z, z), g.scalar(-0.5, 'minus_half'))]), g.scalar(1 / Math.sqrt(2 * Math.PI), 'inv_sqrt_2pi'));
      return this.mul(dy, this.add(cdf, this.mul(z, pdf)));
    }
    // ½(1 + t) + ½·z·(1 − t²)·√(2/π)·(1 + 3·0.044715·z²), t = tanh(√(2/π)(z + 0.044715 z³))
    const t = g.op('Tanh', [this.tanhArg(z)]);
    const inner = this.add(one, this.mul(this.mul(z, z), g.scalar(3 * 0.044715, 'gelu_3c')));
    const sech2 = g.op('Sub', [one, this.mul(t, t)]);
    const right = this.mul(this.mul(this.mul(half, z), sech2), this.mul(inner, g.scalar(Math.sqrt(2 / Math.PI), 'sqrt_2_over_pi')));
    return this.mul(dy, this.add(this.mul(half, this.add(one, t)), right));
  }

  /** Softmax over the last axis, backward: dx = p·(dp − Σ dp·p). */
  softmaxBackward(p: string, dp: string): string {
    return this.mul(p, this.g.op('Sub', [dp, this.sum(this.mul(dp, p), [-1], true)]));
  }

  /**
   * Mean cross-entropy of `logits` [N, C] against int64 `labels` [N], its gradient with respect to the logits
   * ((softmax − onehot) / N) and the accuracy (argmax = label, first maximum on ties).
   */
  crossEntropy(logits: string, labels: string): { loss: string; dLogits: string; accuracy: string } {
    const g = this.g;
    const logp = g.op('LogSoftmax', [logits], { axis: { int: -1 } }); // [N, C]
    const picked = g.op('GatherElements', [logp, g.op('Unsqueeze', [labels, g.int64([1])])], { axis: { int: 1 } }); // [N, 1]
    const loss = g.op('Neg', [this.mean(picked, [0, 1], false)]); // []
    const depth = g.op('Shape', [logits], { start: { int: 1 }, end: { int: 2 } }); // [1] = C
    const onehot = g.op('OneHot', [labels, depth, g.floats([0, 1], [2], 'onehot_values')], { axis: { int: -1 } }); // [N, C]
    const n = g.op('Cast', [g.op('Shape', [labels])], { to: { int: 1 } }); // [1] = N
    const dLogits = g.op('Div', [g.op('Sub', [g.op('Exp', [logp]), onehot]), n]); // [N, C]
    const hits = g.op('Cast', [g.op('Equal', [g.op('ArgMax', [logits], { axis: { int: -1 }, keepdims: { int: 0 } }), labels])], { to: { int: 1 } }); // [N]
    return { loss, dLogits, accuracy: this.mean(hits, [0], false) };
  }

  /** `updates` [..., F] summed into zeros shaped like `like` [R, F] at rows `indices` [...] int64 (Gather's backward). */
  scatterRows(like: string, indices: string, updates: string): string {
    const g = this.g;
    const zeros = g.op('ConstantOfShape', [g.op('Shape', [like])]);
    return g.op('ScatterND', [zeros, g.op('Unsqueeze', [indices, g.int64([-1])]), updates], { reduction: 'add' });
  }

  /** [B, A, T, d] → [B·T, H] (heads merged) and back. */
  mergeHeads(x: string, h: number): string {
    return this.g.op('Reshape', [this.g.op('Transpose', [x], { perm: ints(0, 2, 1, 3) }), this.g.int64([-1, h])]);
  }

  /** [B·T, H] → [B, A, T, d]; `shape` is the value [B, T, A, d]. */
  splitHeads(x: string, shape: string): string {
    return this.g.op('Transpose', [this.g.op('Reshape', [x, shape])], { perm: ints(0, 2, 1, 3) });
  }

  /** Swaps the last two axes of a [B, A, X, Y] value. */
  transposeLast(x: string): string {
    return this.g.op('Transpose', [x], { perm: ints(0, 1, 3, 2) });
  }
}
