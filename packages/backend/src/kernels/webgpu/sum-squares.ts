// Σ x² over a packed vector in two dispatches: each workgroup of the first sums a strided chunk into one
// partial (tree reduction in workgroup memory); the second, one workgroup, sums the partials. For the global
// gradient norm (clipping) over every gradient at once.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

const THREADS = 256;
/** Workgroups of the first pass (partials); the second pass reduces them in one workgroup. */
export const SUM_SQUARES_PARTIALS = 256;

/**
 * Input x [N] (squared when `square`); output [groups]: per workgroup, the sum over its strided share. With
 * `clipNorm` (one group, the second pass) the output is [2]: the norm sqrt(Σ) and torch's clipping coefficient
 * min(1, clipNorm / (norm + 1e-6)).
 */
export class SumSquaresProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [THREADS, 1, 1];
  readonly variableNames = ['x'];
  readonly uniforms = 'n : i32, groups : i32, clipNorm : f32,';

  constructor(
    private readonly n: number,
    private readonly groups: number,
    private readonly square: boolean,
    private readonly clipNorm: number | null = null,
  ) {
    if (clipNorm !== null && groups !== 1) throw new Error(`SumSquaresProgram: clipNorm needs one group, got ${groups}`);
    this.outputShape = [clipNorm === null ? groups : 2];
    this.dispatch = flatDispatch(groups);
    this.shaderKey = `bertkit_sum_squares_${square}_${clipNorm !== null}`;
  }

  uniformData(): ProgramUniform[] {
    return [...scalars('int32', [this.n, this.groups]), ...scalars('float32', [this.clipNorm ?? 0])];
  }

  getUserCode(): string {
    const term = this.square ? 'x[i] * x[i]' : 'x[i]';
    return `
      ${WGSL_COMMON}
      var<workgroup> partial : array<f32, ${THREADS}>;
      fn main(index : i32) {
        let wg = workgroupIndex();
        let lid = i32(localIndex);
        var acc = 0.0;
        for (var i = wg * ${THREADS} + lid; i < uniforms.n; i = i + uniforms.groups * ${THREADS}) {
          acc = acc + ${term};
        }
        partial[lid] = acc;
        workgroupBarrier();
        for (var s = ${THREADS / 2}; s > 0; s = s / 2) {
          if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
          workgroupBarrier();
        }
        ${
          this.clipNorm === null
            ? 'if (lid == 0 && wg < uniforms.groups) { result[wg] = partial[0]; }'
            : `if (lid == 0) {
          let norm = sqrt(partial[0]);
          result[0] = norm;
          result[1] = min(1.0, uniforms.clipNorm / (norm + 1e-6));
        }`
        }
      }
    `;
  }
}
