// LayerNorm backward in two dispatches (llm.c's `layernorm_backward`, split so that no atomics are needed):
// per row the input gradient, per column the gamma and beta gradients. The row kernel also writes each row's
// mean and rsqrt(var + eps) after the gradient, for the column kernel to rebuild x̂ without a second pass over
// the statistics. With x̂ = (v − μ)·r, r = 1/√(σ² + eps) (tf.moments' biased variance) and g = dy·gamma:
// dv = r·(g − mean(g) − x̂·mean(g·x̂)); dgamma = Σ_rows dy·x̂, dbeta = Σ_rows dy.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { dropoutUniforms } from './dropout.js';
import { LN_THREADS, layerNormDropout, layerNormInputKey, layerNormInputWgsl, reduce, type LayerNormInput } from './layer-norm-wgsl.js';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

const HEADER = `
  ${WGSL_COMMON}
  const THREADS = ${LN_THREADS};
`;

/** Element offset of the per-row (mean, rstd) in the row kernel's output: after dv, and dx when x has dropout. */
function statsOffset(m: number, h: number, input: LayerNormInput): number {
  return m * h * (input.dropout === null ? 1 : 2);
}

/**
 * Inputs x [M, H], (residual [M, H]), gamma [H], dy [M, H], LayerNorm having normalised v = dropout(x) +
 * residual. Output [M·H (+ M·H) + 2·M]: dv [M, H]; with dropout also dx = dv · mask [M, H]; then per row
 * (mean, rstd). One workgroup of 64 invocations per row.
 */
export class LayerNormBackwardRowsProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [LN_THREADS, 1, 1];
  readonly variableNames: string[];
  readonly uniforms = 'm : i32, h : i32, stats : i32, eps : f32, key : u32, threshold : u32, keepScale : f32,';

  constructor(
    private readonly m: number,
    private readonly h: number,
    private readonly eps: number,
    private readonly input: LayerNormInput = { residual: false, dropout: null },
  ) {
    this.outputShape = [statsOffset(m, h, input) + 2 * m];
    this.variableNames = ['x', ...(input.residual ? ['residual'] : []), 'gamma', 'dy'];
    this.dispatch = flatDispatch(m);
    this.shaderKey = `bertkit_layer_norm_backward_rows_${layerNormInputKey(input)}`;
  }

  uniformData(): ProgramUniform[] {
    const stats = statsOffset(this.m, this.h, this.input);
    return [...scalars('int32', [this.m, this.h, stats]), ...scalars('float32', [this.eps]), ...dropoutUniforms(layerNormDropout(this.input))];
  }

  getUserCode(): string {
    const writeDx = this.input.dropout === null ? '' : 'result[uniforms.m * h + base + c] = g * dropAt(base + c);';
    return `
      ${HEADER}
      ${layerNormInputWgsl(this.input)}
      var<workgroup> s1 : array<f32, THREADS>;
      var<workgroup> s2 : array<f32, THREADS>;
      var<workgroup> s3 : array<f32, THREADS>;
      var<workgroup> s4 : array<f32, THREADS>;
      fn main(index : i32) {
        let row = workgroupIndex();
        let valid = row < uniforms.m;
        let base = min(row, uniforms.m - 1) * uniforms.h;
        let h = uniforms.h;
        let lid = i32(localIndex);
        let hf = f32(h);
        var a = 0.0;
        for (var c = lid; c < h; c = c + THREADS) { a = a + readV(base + c); }
        ${reduce('a', 'total', 's1')}
        let mean = total / hf;
        var q = 0.0;
        for (var c = lid; c < h; c = c + THREADS) { let d = readV(base + c) - mean; q = q + d * d; }
        ${reduce('q', 'sq', 's2')}
        let rstd = inverseSqrt(sq / hf + uniforms.eps);
        var sg = 0.0;
        var sgx = 0.0;
        for (var c = lid; c < h; c = c + THREADS) {
          let g = dy[base + c] * outScale(base + c) * gamma[c];
          sg = sg + g;
          sgx = sgx + g * (readV(base + c) - mean) * rstd;
        }
        ${reduce('sg', 'sumG', 's3')}
        ${reduce('sgx', 'sumGX', 's4')}
        let meanG = sumG / hf;
        let meanGX = sumGX / hf;
        if (valid) {
          for (var c = lid; c < h; c = c + THREADS) {
            let xhat = (readV(base + c) - mean) * rstd;
            let g = rstd * (dy[base + c] * outScale(base + c) * gamma[c] - meanG - xhat * meanGX);
            result[base + c] = g;
            ${writeDx}
          }
          if (lid == 0) {
            let stats = uniforms.stats + 2 * row;
            result[stats] = mean;
            result[stats + 1] = rstd;
          }
        }
      }
    `;
  }
}

/**
 * Inputs x [M, H], (residual [M, H]), dy [M, H], rows (the row kernel's output, for its statistics). Output
 * [2·H]: dgamma = Σ_rows dy·x̂, then dbeta = Σ_rows dy. One workgroup of 64 invocations per column.
 */
export class LayerNormBackwardParamsProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [LN_THREADS, 1, 1];
  readonly variableNames: string[];
  readonly uniforms = 'm : i32, h : i32, stats : i32, key : u32, threshold : u32, keepScale : f32,';

  constructor(
    private readonly m: number,
    private readonly h: number,
    private readonly input: LayerNormInput = { residual: false, dropout: null },
  ) {
    this.outputShape = [2 * h];
    this.variableNames = ['x', ...(input.residual ? ['residual'] : []), 'dy', 'rows'];
    this.dispatch = flatDispatch(h);
    this.shaderKey = `bertkit_layer_norm_backward_params_${layerNormInputKey(input)}`;
  }

  uniformData(): ProgramUniform[] {
    return [...scalars('int32', [this.m, this.h, statsOffset(this.m, this.h, this.input)]), ...dropoutUniforms(layerNormDropout(this.input))];
  }

  getUserCode(): string {
    return `
      ${HEADER}
      ${layerNormInputWgsl(this.input)}
      var<workgroup> s1 : array<f32, THREADS>;
      var<workgroup> s2 : array<f32, THREADS>;
      fn main(index : i32) {
        let col = workgroupIndex();
        let valid = col < uniforms.h;
        let c = min(col, uniforms.h - 1);
        let h = uniforms.h;
        let stats = uniforms.stats;
        let lid = i32(localIndex);
        var dg = 0.0;
        var db = 0.0;
        for (var r = lid; r < uniforms.m; r = r + THREADS) {
          let d = dy[r * h + c] * outScale(r * h + c);
          dg = dg + d * (readV(r * h + c) - rows[stats + 2 * r]) * rows[stats + 2 * r + 1];
          db = db + d;
        }
        ${reduce('dg', 'sumG', 's1')}
        ${reduce('db', 'sumB', 's2')}
        if (valid && lid == 0) {
          result[c] = sumG;
          result[h + c] = sumB;
        }
      }
    `;
  }
}
