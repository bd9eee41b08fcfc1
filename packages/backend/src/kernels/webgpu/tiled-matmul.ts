// The tiled matrix product the linear kernels share (fused-linear.ts forward, linear-grad.ts backward): out[r, c]
// = Σₖ A[r, k]·B[k, c] over a logical [m, k] × [k, n], each operand read through a WGSL function the kernel
// supplies (`readA(r, k)`, `readB(k, c)`: plain, transposed or block-wise layouts read in place), each result
// handed to its `store(r, c, v)` (the epilogue). A 32 × 32 output tile per workgroup, 8 × 8 invocations of
// 4 × 4 outputs each, the inner dimension consumed 32 at a time through workgroup memory; the edges of any m,
// n, k are masked, so odd sizes need no padding. Needs uniforms `m`, `n`, `k` (i32) and `tilesN` (⌈n / 32⌉).
import { WGSL_COMMON } from './run-program.js';

export const TILE = 32;
const WORK = 4;

/** The invocations of one workgroup. */
export const TILED_WORKGROUP: [number, number, number] = [TILE / WORK, TILE / WORK, 1];

/** Workgroups for an [m, n] output. */
export function tiledWorkgroups(m: number, n: number): number {
  return Math.ceil(m / TILE) * Math.ceil(n / TILE);
}

/** The kernel: `functions` must define readA, readB and store (and whatever they use). */
export function tiledMatMulWgsl(functions: string): string {
  return `
    ${WGSL_COMMON}
    const TILE = ${TILE};
    const WORK = ${WORK};
    const SPAN = TILE / 2; // each invocation loads half a row of each tile
    var<workgroup> tileA : array<array<vec4<f32>, TILE / 4>, TILE>; // [row][k / 4]
    var<workgroup> tileB : array<array<vec4<f32>, TILE / WORK>, TILE>; // [k][col / 4]

    ${functions}

    fn main(index : i32) {
      let wg = workgroupIndex();
      let tileRow = wg / uniforms.tilesN;
      let tileCol = wg - tileRow * uniforms.tilesN;
      let lx = i32(localId.x);
      let ly = i32(localId.y);
      let lid = i32(localIndex);
      let loadRow = lid / 2; // the tile row (of A) and k row (of B) this invocation loads
      let loadCol = (lid % 2) * SPAN; // from this column, SPAN of them
      var acc : array<vec4<f32>, WORK>; // rows ly·WORK + i, columns lx·WORK .. + 3
      let tilesK = (uniforms.k + TILE - 1) / TILE;
      for (var t = 0; t < tilesK; t = t + 1) {
        let gr = tileRow * TILE + loadRow;
        let kr = t * TILE + loadRow;
        for (var q = loadCol; q < loadCol + SPAN; q = q + 4) {
          var av = vec4<f32>(0.0);
          for (var j = 0; j < 4; j = j + 1) {
            let gk = t * TILE + q + j;
            if (gr < uniforms.m && gk < uniforms.k) { av[j] = readA(gr, gk); }
          }
          tileA[loadRow][q / 4] = av;
        }
        for (var q = loadCol; q < loadCol + SPAN; q = q + 4) {
          var bv = vec4<f32>(0.0);
          for (var j = 0; j < 4; j = j + 1) {
            let gc = tileCol * TILE + q + j;
            if (kr < uniforms.k && gc < uniforms.n) { bv[j] = readB(kr, gc); }
          }
          tileB[loadRow][q / 4] = bv;
        }
        workgroupBarrier();
        for (var k4 = 0; k4 < TILE / 4; k4 = k4 + 1) {
          let b0 = tileB[k4 * 4][lx];
          let b1 = tileB[k4 * 4 + 1][lx];
          let b2 = tileB[k4 * 4 + 2][lx];
          let b3 = tileB[k4 * 4 + 3][lx];
          for (var i = 0; i < WORK; i = i + 1) {
            let a = tileA[ly * WORK + i][k4];
            acc[i] = fma(vec4<f32>(a.w), b3, fma(vec4<f32>(a.z), b2, fma(vec4<f32>(a.y), b1, fma(vec4<f32>(a.x), b0, acc[i]))));
          }
        }
        workgroupBarrier();
      }
      for (var i = 0; i < WORK; i = i + 1) {
        let r = tileRow * TILE + ly * WORK + i;
        for (var j = 0; j < WORK; j = j + 1) {
          let c = tileCol * TILE + lx * WORK + j;
          if (r < uniforms.m && c < uniforms.n) { store(r, c, acc[i][j]); }
        }
      }
    }
  `;
}

/**
 * WGSL `readW(row, col) -> f32`: element (row, col) of a logical [K, N] weight given as 1 to 3 column blocks
 * w0 [K, N0], w1 [K, N1], w2 [K, N2] read in place, or (`transposed`, one block) as w0 [N, K] (a tied decoder
 * reading the [V, H] embedding table). Needs uniforms `wn` (N), `wk` (K), `end0` (N0), `end1` (N0 + N1).
 */
export function readBlocksWgsl(parts: number, transposed = false): string {
  if (transposed && parts !== 1) throw new Error(`readBlocksWgsl: a transposed weight is one block, got ${parts}`);
  const body = transposed
    ? 'return w0[col * uniforms.wk + row];'
    : parts === 1
      ? 'return w0[row * uniforms.wn + col];'
      : `if (col < uniforms.end0) { return w0[row * uniforms.end0 + col]; }
         ${parts === 2 ? '' : 'if (col < uniforms.end1) { return w1[row * (uniforms.end1 - uniforms.end0) + col - uniforms.end0]; }'}
         ${parts === 2 ? 'return w1[row * (uniforms.wn - uniforms.end0) + col - uniforms.end0];' : 'return w2[row * (uniforms.wn - uniforms.end1) + col - uniforms.end1];'}`;
  return `fn readW(row : i32, col : i32) -> f32 {
    ${body}
  }`;
}

/** The uniforms of {@link readBlocksWgsl}: [N, K, N0, N0 + N1]. */
export function blockBounds(widths: number[], k: number): number[] {
  const [n0, n1 = 0] = widths;
  return [widths.reduce((a, b) => a + b, 0), k, n0, n0 + n1];
}
