// The workgroup LayerNorm both row kernels end with (add-layer-norm.ts, embeddings-layer-norm.ts): one workgroup
// per row, each invocation holding a strided share of the row's values, two reductions through workgroup memory
// (the mean, then the biased variance of the centred values, as tf.moments and torch's LayerNorm compute them),
// then (v - mean) · rsqrt(var + eps) · gamma + beta.

import { DROPOUT_WGSL, type DropoutDraw } from '../../ops/dropout-hash.js';

/**
 * What LayerNorm normalises: `dropout(x) + residual` (BERT's post-LN tail), either part optional; and a dropout of
 * its output (BERT's embeddings), which the backward kernels apply to dy as they read it. At most one dropout.
 */
export interface LayerNormInput {
  residual: boolean;
  dropout: DropoutDraw | null;
  outputDropout?: DropoutDraw | null;
}

/**
 * WGSL `readV(i)`, the LayerNorm input at flat index i, and `dropAt(i)`, x's dropout multiplier there (1 without
 * dropout), from inputs `x` (and `residual`). Needs the uniforms `key : u32, threshold : u32, keepScale : f32`
 * (dropout.ts's `dropoutUniforms`).
 */
export function layerNormInputWgsl(input: LayerNormInput): string {
  return `
    ${layerNormDropoutWgsl(input)}
    fn readV(i : i32) -> f32 { return x[i]${input.dropout === null ? '' : ' * dropAt(i)'}${input.residual ? ' + residual[i]' : ''}; }
  `;
}

/** WGSL `dropAt(i)` and `outScale(i)` alone (for kernels that build the LayerNorm input themselves). */
export function layerNormDropoutWgsl(input: LayerNormInput): string {
  const out = input.outputDropout ?? null;
  if (input.dropout !== null && out !== null) throw new Error('layerNormDropoutWgsl: a dropout of the input or of the output, not both');
  const scale = 'dropoutScale(uniforms.key, u32(i), uniforms.threshold, uniforms.keepScale)';
  return `
    ${DROPOUT_WGSL}
    fn dropAt(i : i32) -> f32 { return ${input.dropout === null ? '1.0' : scale}; }
    fn outScale(i : i32) -> f32 { return ${out === null ? '1.0' : scale}; }
  `;
}

/** The dropout uniforms of a {@link LayerNormInput} (its one dropout, if any). */
export function layerNormDropout(input: LayerNormInput): DropoutDraw | null {
  return input.dropout ?? input.outputDropout ?? null;
}

/** A shader-key suffix for a {@link LayerNormInput}. */
export function layerNormInputKey(input: LayerNormInput): string {
  return `${input.residual}_${input.dropout !== null}_${(input.outputDropout ?? null) !== null}`;
}

/** Invocations per row; rows longer than THREADS · MAX_PER_THREAD use the unfused ops. */
export const LN_THREADS = 64;
export const LN_MAX_PER_THREAD = 32; // a row of up to 2048 values

/**
 * WGSL statements: `let <out> = Σ <v>` over the workgroup, a tree through the workgroup array `scratch`.
 * Each reduction has its own array: on llvmpipe the final `scratch[0]` load can sink past the barrier that
 * follows it (measured: lanes 8-63 then read the next reduction's first partial sum), so a later reduction must
 * not overwrite it.
 */
export function reduce(v: string, out: string, scratch: string): string {
  return `
    ${scratch}[lid] = ${v};
    workgroupBarrier();
    for (var stride = THREADS / 2; stride > 0; stride = stride / 2) {
      if (lid < stride) { ${scratch}[lid] = ${scratch}[lid] + ${scratch}[lid + stride]; }
      workgroupBarrier();
    }
    let ${out} = ${scratch}[0];`;
}

/**
 * WGSL: `layerNormRow(row, valid, lid)` normalises the row a kernel has put in `rowVals` (invocation lid
 * writing, and later reading, elements lid, lid + THREADS, ...) and writes it to row `row` of the output when
 * `valid`, times `outScale(index)` (layerNormInputWgsl's: 1, or an output dropout). Needs uniforms `h : i32` (row
 * length) and `eps : f32`, and inputs `gamma`, `beta`.
 */
export const LAYER_NORM_WGSL = `
  const THREADS = ${LN_THREADS};
  const MAX_PER_THREAD = ${LN_MAX_PER_THREAD};
  var<workgroup> sums : array<f32, THREADS>;
  var<workgroup> squares : array<f32, THREADS>;
  var<workgroup> rowVals : array<f32, THREADS * MAX_PER_THREAD>;

  fn layerNormRow(row : i32, valid : bool, lid : i32) {
    let h = uniforms.h;
    let per = (h + THREADS - 1) / THREADS;
    var sum = 0.0;
    for (var i = 0; i < per; i = i + 1) {
      let c = i * THREADS + lid;
      if (c < h) { sum = sum + rowVals[c]; }
    }
    ${reduce('sum', 'total1', 'sums')}
    let mean = total1 / f32(h);
    var sq = 0.0;
    for (var i = 0; i < per; i = i + 1) {
      let c = i * THREADS + lid;
      if (c < h) {
        let d = rowVals[c] - mean;
        sq = sq + d * d;
      }
    }
    ${reduce('sq', 'total2', 'squares')}
    let variance = total2 / f32(h);
    let inv = inverseSqrt(variance + uniforms.eps);
    if (valid) {
      for (var i = 0; i < per; i = i + 1) {
        let c = i * THREADS + lid;
        if (c < h) { setOutputAtIndex(row * h + c, ((rowVals[c] - mean) * inv * gamma[c] + beta[c]) * outScale(row * h + c)); }
      }
    }
  }
`;
