// y = act(x · W + b) + residual in one dispatch (the fused epilogue of tfjs-backend-webgpu's
// matmul_packed_webgpu, written for bertkit's linear layers). W may be given as up to three column blocks
// [K, N0 | N1 | N2] read in place (a Q/K/V projection without concatenating the weights). The same kernel
// with `activationGrad` is the first step of its backward pass: dz = dy · act'(x · W + b), the pre-activation
// recomputed in registers instead of stored.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { scalars, flatDispatch, type ProgramUniform } from './run-program.js';
import { TILED_WORKGROUP, blockBounds, readBlocksWgsl, tiledMatMulWgsl, tiledWorkgroups, TILE } from './tiled-matmul.js';

/** Epilogue activations: exact-erf GELU (BERT), the tanh GELU (`gelu_new`), ReLU, tanh (the pooler). */
export type FusedActivation = 'gelu' | 'gelu_tanh' | 'relu' | 'tanh';

const ACTIVATIONS: Record<FusedActivation, string> = {
  gelu: 'return 0.5 * v * (1.0 + erfApprox(v * 0.7071067811865476));',
  gelu_tanh: 'return 0.5 * v * (1.0 + tanhSafe(0.7978845608028654 * (v + 0.044715 * v * v * v)));',
  relu: 'return max(v, 0.0);',
  tanh: 'return tanhSafe(v);',
};

/** act'(v), with the kernels' erf and tanh (ops/activations.ts's `activationDerivative`). */
const DERIVATIVES: Record<FusedActivation, string> = {
  // Φ(v) + v·φ(v)
  gelu: 'return 0.5 * (1.0 + erfApprox(v * 0.7071067811865476)) + v * 0.3989422804014327 * exp(-0.5 * v * v);',
  gelu_tanh: `let t = tanhSafe(0.7978845608028654 * (v + 0.044715 * v * v * v));
    return 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * 0.7978845608028654 * (1.0 + 3.0 * 0.044715 * v * v);`,
  relu: 'return select(0.0, 1.0, v > 0.0);',
  tanh: 'let t = tanhSafe(v); return 1.0 - t * t;',
};

export interface FusedLinearShape {
  m: number; // rows of x
  k: number; // inner size
  widths: number[]; // N0, N1, ... (one per weight block, 1 to 3)
  bias: boolean;
  activation: FusedActivation | null;
  residual: boolean;
  /** The backward step instead: output dy · act'(x · W + b), dy [M, N] the last input (needs an activation). */
  activationGrad?: boolean;
  /** The biases given as one [N] tensor (the blocks' biases packed), to stay within 8 storage buffers. */
  packedBias?: boolean;
  /** One weight stored [N, K] (read transposed in place). */
  transposed?: boolean;
}

/**
 * Inputs, in order: x [M, K], w0..w{P-1} [K, Ni] (or one w0 [N, K] when `transposed`), then (bias) b0..b{P-1} [Ni], then (residual) [M, N] or
 * (activationGrad) dy [M, N]; output [M, N] with N = ΣNi.
 */
export class FusedLinearProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0, 1] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize = TILED_WORKGROUP;
  readonly variableNames: string[];
  readonly uniforms = 'm : i32, n : i32, k : i32, tilesN : i32, wn : i32, wk : i32, end0 : i32, end1 : i32,';

  constructor(private readonly shape: FusedLinearShape) {
    const parts = shape.widths.length;
    if (parts < 1 || parts > 3) throw new Error(`FusedLinearProgram: expected 1 to 3 weight blocks, got ${parts}`);
    const grad = shape.activationGrad === true;
    if (grad && (shape.activation === null || shape.residual)) {
      throw new Error('FusedLinearProgram: activationGrad needs an activation and no residual');
    }
    const n = shape.widths.reduce((a, b) => a + b, 0);
    this.outputShape = [shape.m, n];
    const w = shape.widths.map((_, i) => `w${i}`);
    const b = shape.bias ? (shape.packedBias ? ['bias0'] : shape.widths.map((_, i) => `bias${i}`)) : [];
    this.variableNames = ['x', ...w, ...b, ...(shape.residual ? ['residual'] : []), ...(grad ? ['dy'] : [])];
    this.dispatch = flatDispatch(tiledWorkgroups(shape.m, n));
    this.shaderKey = `bertkit_fused_linear_${parts}_${shape.bias}_${shape.activation}_${shape.residual}_${grad}_${shape.packedBias === true}_${shape.transposed === true}`;
  }

  /** The uniforms' values, in the order of {@link uniforms}. */
  uniformData(): ProgramUniform[] {
    const n = this.outputShape[1];
    return scalars('int32', [this.shape.m, n, this.shape.k, Math.ceil(n / TILE), ...blockBounds(this.shape.widths, this.shape.k)]);
  }

  getUserCode(): string {
    const parts = this.shape.widths.length;
    const readBias = !this.shape.bias
      ? 'return 0.0;'
      : parts === 1 || this.shape.packedBias
        ? 'return bias0[c];'
        : `if (c < uniforms.end0) { return bias0[c]; }
           ${parts === 2 ? 'return bias1[c - uniforms.end0];' : 'if (c < uniforms.end1) { return bias1[c - uniforms.end0]; } return bias2[c - uniforms.end1];'}`;
    const act = this.shape.activation === null ? 'return v;' : ACTIVATIONS[this.shape.activation];
    const derivative = this.shape.activation === null ? 'return 1.0;' : DERIVATIVES[this.shape.activation];
    const value = this.shape.activationGrad
      ? 'dy[r * uniforms.n + c] * derivative(acc + readBias(c))'
      : `activate(acc + readBias(c))${this.shape.residual ? ' + residual[r * uniforms.n + c]' : ''}`;
    return tiledMatMulWgsl(`
      ${readBlocksWgsl(parts, this.shape.transposed === true)}
      fn readBias(c : i32) -> f32 {
        ${readBias}
      }
      fn activate(v : f32) -> f32 {
        ${act}
      }
      fn derivative(v : f32) -> f32 {
        ${derivative}
      }
      fn readA(r : i32, kk : i32) -> f32 { return x[r * uniforms.k + kk]; }
      fn readB(kk : i32, c : i32) -> f32 { return readW(kk, c); }
      fn store(r : i32, c : i32, acc : f32) { setOutputAtIndex(r * uniforms.n + c, ${value}); }
    `);
  }
}
