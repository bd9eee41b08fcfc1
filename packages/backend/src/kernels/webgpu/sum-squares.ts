// Σ x² over a packed vector in two dispatches: each workgroup of the first sums a strided chunk into one
// partial (tree reduction in workgroup memory); the second, one workgroup, sums the partials. For the global
// gradient norm (clipping) over every gradient at once.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

const THREADS = 256;
/** Workgroups of the first pass (partials); the second pass reduces them in one workgroup. */
export const SUM_SQUARES_PARTIALS = 256;

/** Input x [N] (squared when `square`); output [groups]: per workgroup, the sum over its strided share. */
export class SumSquaresProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [THREADS, 1, 1];
  readonly variableNames = ['x'];
  readonly uniforms = 'n : i32, groups : i32,';

  constructor(
    private readonly n: number,
    private readonly groups: number,
    private readonly square: boolean,
  ) {
    this.outputShape = [groups];
    this.dispatch = flatDispatch(groups);
    this.shaderKey = `bertkit_sum_squares_${square}`;
  }

  uniformData(): ProgramUniform[] {
    return scalars('int32', [this.n, this.groups]);
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
        if (lid == 0 && wg < uniforms.groups) { result[wg] = partial[0]; }
      }
    `;
  }
}
