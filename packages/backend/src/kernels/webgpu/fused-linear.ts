// y = act(x · W + b) + residual in one dispatch (the fused epilogue of tfjs-backend-webgpu's
// matmul_packed_webgpu, written for bertkit's linear layers). W may be given as up to three column blocks
// [K, N0 | N1 | N2] read in place (a Q/K/V projection without concatenating the weights).
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

/** Epilogue activations: exact-erf GELU (BERT), the tanh GELU (`gelu_new`), ReLU, tanh (the pooler). */
export type FusedActivation = 'gelu' | 'gelu_tanh' | 'relu' | 'tanh';

const TILE = 32; // output tile TILE × TILE per workgroup, K consumed TILE at a time
const WORK = 4; // each of the 8 × 8 invocations computes WORK × WORK outputs (a vec4 per row)

const ACTIVATIONS: Record<FusedActivation, string> = {
  gelu: 'return 0.5 * v * (1.0 + erfApprox(v * 0.7071067811865476));',
  gelu_tanh: 'return 0.5 * v * (1.0 + tanhSafe(0.7978845608028654 * (v + 0.044715 * v * v * v)));',
  relu: 'return max(v, 0.0);',
  tanh: 'return tanhSafe(v);',
};

export interface FusedLinearShape {
  m: number; // rows of x
  k: number; // inner size
  widths: number[]; // N0, N1, ... (one per weight block, 1 to 3)
  bias: boolean;
  activation: FusedActivation | null;
  residual: boolean;
}

/**
 * Inputs, in order: x [M, K], w0..w{P-1} [K, Ni], then (bias) b0..b{P-1} [Ni], then (residual) [M, N];
 * output [M, N] with N = ΣNi. Tiled through workgroup memory: a 32 × 32 output tile per workgroup, 8 × 8
 * invocations of 4 × 4 outputs each; edges of any M, N, K are masked, so odd sizes need no padding.
 */
export class FusedLinearProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0, 1] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [TILE / WORK, TILE / WORK, 1]; // 64 invocations
  readonly variableNames: string[];
  readonly uniforms = 'm : i32, n : i32, k : i32, tilesN : i32, end0 : i32, end1 : i32,';

  constructor(private readonly shape: FusedLinearShape) {
    const parts = shape.widths.length;
    if (parts < 1 || parts > 3) throw new Error(`FusedLinearProgram: expected 1 to 3 weight blocks, got ${parts}`);
    const n = shape.widths.reduce((a, b) => a + b, 0);
    this.outputShape = [shape.m, n];
    const w = shape.widths.map((_, i) => `w${i}`);
    const b = shape.bias ? shape.widths.map((_, i) => `bias${i}`) : [];
    this.variableNames = ['x', ...w, ...b, ...(shape.residual ? ['residual'] : [])];
    this.dispatch = flatDispatch(Math.ceil(shape.m / TILE) * Math.ceil(n / TILE));
    this.shaderKey = `bertkit_fused_linear_${parts}_${shape.bias}_${shape.activation}_${shape.residual}`;
  }

  /** The uniforms' values, in the order of {@link uniforms}. */
  uniformData(): ProgramUniform[] {
    const [n0, n1 = 0] = this.shape.widths;
    const n = this.outputShape[1];
    return scalars('int32', [this.shape.m, n, this.shape.k, Math.ceil(n / TILE), n0, n0 + n1]);
  }

  getUserCode(): string {
    const parts = this.shape.widths.length;
    // column c of the logical [K, N] weight lives in block i at column c - start(i)
    const readW =
      parts === 1
        ? 'return w0[kk * uniforms.n + c];'
        : `if (c < uniforms.end0) { return w0[kk * uniforms.end0 + c]; }
           ${parts === 2 ? '' : 'if (c < uniforms.end1) { return w1[kk * (uniforms.end1 - uniforms.end0) + c - uniforms.end0]; }'}
           ${parts === 2 ? 'return w1[kk * (uniforms.n - uniforms.end0) + c - uniforms.end0];' : 'return w2[kk * (uniforms.n - uniforms.end1) + c - uniforms.end1];'}`;
    const readBias = !this.shape.bias
      ? 'return 0.0;'
      : parts === 1
        ? 'return bias0[c];'
        : `if (c < uniforms.end0) { return bias0[c]; }
           ${parts === 2 ? 'return bias1[c - uniforms.end0];' : 'if (c < uniforms.end1) { return bias1[c - uniforms.end0]; } return bias2[c - uniforms.end1];'}`;
    const act = this.shape.activation === null ? 'return v;' : ACTIVATIONS[this.shape.activation];
    const addResidual = this.shape.residual ? 'v = v + residual[r * uniforms.n + c];' : '';
    return `
      ${WGSL_COMMON}
      const TILE = ${TILE};
      const WORK = ${WORK};
      const SPAN = TILE / 2; // each invocation loads half a row of each tile
      var<workgroup> tileX : array<array<vec4<f32>, TILE / 4>, TILE>; // [row][k / 4]
      var<workgroup> tileW : array<array<vec4<f32>, TILE / WORK>, TILE>; // [k][col / 4]

      fn readW(kk : i32, c : i32) -> f32 {
        ${readW}
      }
      fn readBias(c : i32) -> f32 {
        ${readBias}
      }
      fn activate(v : f32) -> f32 {
        ${act}
      }

      fn main(index : i32) {
        let wg = workgroupIndex();
        let tileRow = wg / uniforms.tilesN;
        let tileCol = wg - tileRow * uniforms.tilesN;
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        let lid = i32(localIndex);
        let loadRow = lid / 2; // the tile row (of x) and k row (of W) this invocation loads
        let loadCol = (lid % 2) * SPAN; // from this column, SPAN of them
        var acc : array<vec4<f32>, WORK>; // rows ly·WORK + i, columns lx·WORK .. + 3
        let tilesK = (uniforms.k + TILE - 1) / TILE;
        for (var t = 0; t < tilesK; t = t + 1) {
          let gr = tileRow * TILE + loadRow;
          let kr = t * TILE + loadRow;
          for (var q = loadCol; q < loadCol + SPAN; q = q + 4) {
            var xv = vec4<f32>(0.0);
            for (var j = 0; j < 4; j = j + 1) {
              let gk = t * TILE + q + j;
              if (gr < uniforms.m && gk < uniforms.k) { xv[j] = x[gr * uniforms.k + gk]; }
            }
            tileX[loadRow][q / 4] = xv;
          }
          for (var q = loadCol; q < loadCol + SPAN; q = q + 4) {
            var wv = vec4<f32>(0.0);
            for (var j = 0; j < 4; j = j + 1) {
              let gc = tileCol * TILE + q + j;
              if (kr < uniforms.k && gc < uniforms.n) { wv[j] = readW(kr, gc); }
            }
            tileW[loadRow][q / 4] = wv;
          }
          workgroupBarrier();
          for (var k4 = 0; k4 < TILE / 4; k4 = k4 + 1) {
            let w0 = tileW[k4 * 4][lx];
            let w1 = tileW[k4 * 4 + 1][lx];
            let w2 = tileW[k4 * 4 + 2][lx];
            let w3 = tileW[k4 * 4 + 3][lx];
            for (var i = 0; i < WORK; i = i + 1) {
              let a = tileX[ly * WORK + i][k4];
              acc[i] = fma(vec4<f32>(a.w), w3, fma(vec4<f32>(a.z), w2, fma(vec4<f32>(a.y), w1, fma(vec4<f32>(a.x), w0, acc[i]))));
            }
          }
          workgroupBarrier();
        }
        for (var i = 0; i < WORK; i = i + 1) {
          let r = tileRow * TILE + ly * WORK + i;
          for (var j = 0; j < WORK; j = j + 1) {
            let c = tileCol * TILE + lx * WORK + j;
            if (r < uniforms.m && c < uniforms.n) {
              var v = activate(acc[i][j] + readBias(c));
              ${addResidual}
              setOutputAtIndex(r * uniforms.n + c, v);
            }
          }
        }
      }
    `;
  }
}
