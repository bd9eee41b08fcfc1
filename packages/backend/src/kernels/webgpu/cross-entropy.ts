// Softmax cross-entropy over [N, C] logits in three dispatches for forward and backward together (llm.c's
// fused classifier): per row the loss, then its mean over the labelled rows, and for the backward pass
// (softmax - onehot) · dy / count written straight into the gradient. The [N, C] softmax never reaches memory
// in the forward pass. Rows whose label is `ignoreIndex` contribute 0 and are not counted.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { LN_THREADS, reduce } from './layer-norm-wgsl.js';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

const HEADER = `
  ${WGSL_COMMON}
  const THREADS = ${LN_THREADS};
  var<workgroup> sMax : array<f32, THREADS>;
  var<workgroup> sSum : array<f32, THREADS>;
  var<workgroup> sCount : array<f32, THREADS>;
`;

/** WGSL: this workgroup's row (`row`, clamped `r`, `valid`), its first element `base`, the invocation `lid`, its label. */
const ROW_SETUP = `
  let row = workgroupIndex();
  let valid = row < uniforms.n;
  let r = min(row, uniforms.n - 1);
  let base = r * uniforms.c;
  let lid = i32(localIndex);
  let label = labels[r];
`;

/** WGSL: the row's max and Σ exp(x - max) into `mx` and `se` (row base `base`, length uniforms.c). */
const ROW_STATS = `
  var m = LOWEST;
  for (var j = lid; j < uniforms.c; j = j + THREADS) { m = max(m, logits[base + j]); }
  sMax[lid] = m;
  workgroupBarrier();
  for (var stride = THREADS / 2; stride > 0; stride = stride / 2) {
    if (lid < stride) { sMax[lid] = max(sMax[lid], sMax[lid + stride]); }
    workgroupBarrier();
  }
  let mx = sMax[0];
  var e = 0.0;
  for (var j = lid; j < uniforms.c; j = j + THREADS) { e = e + exp(logits[base + j] - mx); }
  ${reduce('e', 'se', 'sSum')}
`;

/**
 * Inputs logits [N, C], labels [N] int32 (and dy [1] for `grad`). Output: `loss` [N] per-row loss; `grad` [N, C];
 * `hit` [N]: 1 where the row's arg-max (its first largest logit, as tf.argMax) is its label, else 0.
 */
export class CrossEntropyRowsProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [LN_THREADS, 1, 1];
  readonly variableNames: string[];
  readonly uniforms = 'n : i32, c : i32, ignoreIndex : i32,';

  constructor(
    private readonly n: number,
    private readonly c: number,
    private readonly ignoreIndex: number,
    private readonly mode: 'loss' | 'grad' | 'hit',
  ) {
    this.outputShape = mode === 'grad' ? [n, c] : [n];
    this.variableNames = mode === 'grad' ? ['logits', 'labels', 'dy'] : ['logits', 'labels'];
    this.dispatch = flatDispatch(n);
    this.shaderKey = `bertkit_cross_entropy_${mode}`;
  }

  uniformData(): ProgramUniform[] {
    return scalars('int32', [this.n, this.c, this.ignoreIndex]);
  }

  getUserCode(): string {
    if (this.mode === 'hit') return this.hitCode();
    const tail =
      this.mode === 'loss'
        ? `
        if (valid && lid == 0) {
          result[row] = select(0.0, mx + log(se) - logits[base + min(max(label, 0), uniforms.c - 1)], kept);
        }`
        : `
        var k = 0.0;
        for (var i = lid; i < uniforms.n; i = i + THREADS) { k = k + select(0.0, 1.0, labels[i] != uniforms.ignoreIndex); }
        ${reduce('k', 'count', 'sCount')}
        let scale = select(0.0, dy[0] / max(count, 1.0), kept);
        if (valid) {
          for (var j = lid; j < uniforms.c; j = j + THREADS) {
            let p = exp(logits[base + j] - mx) / se;
            result[base + j] = (p - select(0.0, 1.0, j == label)) * scale;
          }
        }`;
    return `
      ${HEADER}
      fn main(index : i32) {
        ${ROW_SETUP}
        let kept = label != uniforms.ignoreIndex;
        ${ROW_STATS}
        ${tail}
      }
    `;
  }

  /** The `hit` mode: each invocation's first maximum, then (larger value, else smaller index) across the workgroup. */
  private hitCode(): string {
    return `
      ${HEADER}
      var<workgroup> sIdx : array<i32, THREADS>;
      fn main(index : i32) {
        ${ROW_SETUP}
        var m = LOWEST;
        var at = uniforms.c;
        for (var j = lid; j < uniforms.c; j = j + THREADS) {
          let v = logits[base + j];
          if (v > m || at == uniforms.c) { m = v; at = j; }
        }
        sMax[lid] = m;
        sIdx[lid] = at;
        workgroupBarrier();
        for (var stride = THREADS / 2; stride > 0; stride = stride / 2) {
          if (lid < stride) {
            let v = sMax[lid + stride];
            let i = sIdx[lid + stride];
            if (v > sMax[lid] || (v == sMax[lid] && i < sIdx[lid])) {
              sMax[lid] = v;
              sIdx[lid] = i;
            }
          }
          workgroupBarrier();
        }
        let best = sIdx[0];
        if (valid && lid == 0) { result[row] = select(0.0, 1.0, label != uniforms.ignoreIndex && best == label); }
      }
    `;
  }
}

/** Inputs rowLoss [N], labels [N] int32; output [1]: Σ rowLoss / max(1, #labelled rows). One workgroup. */
export class CrossEntropyMeanProgram implements WebGPUProgram {
  readonly outputShape = [1];
  shaderKey = 'bertkit_cross_entropy_mean';
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number] = [1, 1, 1];
  readonly workgroupSize: [number, number, number] = [LN_THREADS, 1, 1];
  readonly variableNames = ['rowLoss', 'labels'];
  readonly uniforms = 'n : i32, ignoreIndex : i32,';

  constructor(
    private readonly n: number,
    private readonly ignoreIndex: number,
  ) {}

  uniformData(): ProgramUniform[] {
    return scalars('int32', [this.n, this.ignoreIndex]);
  }

  getUserCode(): string {
    return `
      ${HEADER}
      fn main(index : i32) {
        let lid = i32(localIndex);
        var s = 0.0;
        var k = 0.0;
        for (var i = lid; i < uniforms.n; i = i + THREADS) {
          s = s + rowLoss[i];
          k = k + select(0.0, 1.0, labels[i] != uniforms.ignoreIndex);
        }
        ${reduce('s', 'total', 'sSum')}
        ${reduce('k', 'count', 'sCount')}
        if (lid == 0) { result[0] = total / max(count, 1.0); }
      }
    `;
  }
}
