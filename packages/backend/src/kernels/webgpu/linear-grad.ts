// The two products of a linear layer's backward pass (y = x · W + b, W as 1 to 3 column blocks), each one
// dispatch of the tiled product (tiled-matmul.ts) reading its operands transposed or block-wise in place:
//   'dx': dx = dz · Wᵀ  [M, K], the weight blocks read transposed (no concatenated or transposed copy);
//   'dw': dW and db together: [x | 1]ᵀ · dz, an extra row of ones giving db = Σ_rows dz, written block-major
//         (block i's dWᵢ [K, Ni] at K · (N0 + … + Nᵢ₋₁), then db [N]) so buffer copies (buffer-copy.ts) cut out
//         each parameter's gradient without a dispatch.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { flatDispatch, scalars, type ProgramUniform } from './run-program.js';
import { TILED_WORKGROUP, TILE, blockBounds, readBlocksWgsl, tiledMatMulWgsl, tiledWorkgroups } from './tiled-matmul.js';

export interface LinearGradShape {
  mode: 'dx' | 'dw';
  m: number; // rows of x and dz
  k: number; // in features
  widths: number[]; // out features per weight block
  /** 'dw': also db (the ones row). */
  bias: boolean;
  /** One weight stored [N, K]: 'dx' reads it so, 'dw' writes dW as [N, K] (then db). */
  transposed?: boolean;
}

/**
 * 'dx' inputs: dz [M, N], w0..w{P-1} [K, Ni]; output [M, K].
 * 'dw' inputs: x [M, K], dz [M, N]; output flat [K·N (+ N)] in the block-major layout above.
 */
export class LinearGradProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize = TILED_WORKGROUP;
  readonly variableNames: string[];
  readonly uniforms = 'm : i32, n : i32, k : i32, tilesN : i32, wn : i32, wk : i32, end0 : i32, end1 : i32,';
  private readonly rows: number; // logical product rows
  private readonly cols: number;
  private readonly inner: number;

  constructor(private readonly s: LinearGradShape) {
    const parts = s.widths.length;
    if (parts < 1 || parts > 3) throw new Error(`LinearGradProgram: expected 1 to 3 weight blocks, got ${parts}`);
    const n = s.widths.reduce((a, b) => a + b, 0);
    if (s.mode === 'dx') {
      [this.rows, this.cols, this.inner] = [s.m, s.k, n];
      this.outputShape = [s.m, s.k];
      this.variableNames = ['dz', ...s.widths.map((_, i) => `w${i}`)];
    } else {
      [this.rows, this.cols, this.inner] = [s.k + (s.bias ? 1 : 0), n, s.m];
      this.outputShape = [s.k * n + (s.bias ? n : 0)];
      this.variableNames = ['x', 'dz'];
    }
    this.dispatch = flatDispatch(tiledWorkgroups(this.rows, this.cols));
    this.shaderKey = `bertkit_linear_grad_${s.mode}_${parts}_${s.transposed === true}`;
  }

  uniformData(): ProgramUniform[] {
    return scalars('int32', [this.rows, this.cols, this.inner, Math.ceil(this.cols / TILE), ...blockBounds(this.s.widths, this.s.k)]);
  }

  getUserCode(): string {
    if (this.s.mode === 'dx') {
      // out [M, K] = dz [M, N] · Wᵀ: B[n, c] = W[c, n]
      return tiledMatMulWgsl(`
        ${readBlocksWgsl(this.s.widths.length, this.s.transposed === true)}
        fn readA(r : i32, kk : i32) -> f32 { return dz[r * uniforms.wn + kk]; }
        fn readB(kk : i32, c : i32) -> f32 { return readW(c, kk); }
        fn store(r : i32, c : i32, v : f32) { setOutputAtIndex(r * uniforms.n + c, v); }
      `);
    }
    // out [K (+1), N] = [x | 1]ᵀ · dz over the M rows: A[r, m] = x[m, r] (1 on the bias row r = K)
    return tiledMatMulWgsl(`
      fn readA(r : i32, kk : i32) -> f32 {
        if (r < uniforms.wk) { return x[kk * uniforms.wk + r]; }
        return 1.0;
      }
      fn readB(kk : i32, c : i32) -> f32 { return dz[kk * uniforms.n + c]; }
      fn blockStart(c : i32) -> i32 {
        if (c < uniforms.end0) { return 0; }
        if (c < uniforms.end1) { return uniforms.end0; }
        return uniforms.end1;
      }
      fn blockWidth(start : i32) -> i32 {
        if (start == 0) { return uniforms.end0; }
        if (start == uniforms.end0) { return uniforms.end1 - uniforms.end0; }
        return uniforms.wn - uniforms.end1;
      }
      fn store(r : i32, c : i32, v : f32) {
        if (r == uniforms.wk) {
          setOutputAtIndex(uniforms.wk * uniforms.n + c, v);
          return;
        }
        ${this.s.transposed ? 'setOutputAtIndex(c * uniforms.wk + r, v);' : 'let start = blockStart(c); setOutputAtIndex(uniforms.wk * start + r * blockWidth(start) + c - start, v);'}
      }
    `);
  }
}
