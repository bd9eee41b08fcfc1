// Inverted dropout in one elementwise dispatch, the mask tested in place from ops/dropout-hash.ts's counter-based
// hash (nothing uploaded). Its own backward pass: the same kernel on dy with the same key.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { DROPOUT_WGSL, dropoutThreshold, type DropoutDraw } from '../../ops/dropout-hash.js';
import { WGSL_COMMON, flatDispatch, type ProgramUniform } from './run-program.js';

const THREADS = 256;

/**
 * The dropout uniforms every kernel that tests a mask declares last, as `key : u32, threshold : u32,
 * keepScale : f32`: the draw's key, its threshold and 1 / (1 - rate); zeros and 1 without dropout.
 */
export function dropoutUniforms(draw: DropoutDraw | null): ProgramUniform[] {
  return [
    { type: 'uint32', data: [draw === null ? 0 : draw.key >>> 0] },
    { type: 'uint32', data: [draw === null ? 0 : dropoutThreshold(draw.rate)] },
    { type: 'float32', data: [draw === null ? 1 : 1 / (1 - draw.rate)] },
  ];
}

/** Input x [n] (any shape, flat index = the mask's index); output x · mask, same shape. */
export class DropoutProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey = 'bertkit_dropout';
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [THREADS, 1, 1];
  readonly variableNames = ['x'];
  readonly uniforms = 'n : i32, key : u32, threshold : u32, keepScale : f32,';

  constructor(
    shape: number[],
    private readonly draw: DropoutDraw,
  ) {
    this.outputShape = shape;
    this.dispatch = flatDispatch(Math.ceil(shape.reduce((a, b) => a * b, 1) / THREADS));
  }

  uniformData(): ProgramUniform[] {
    const n = this.outputShape.reduce((a, b) => a * b, 1);
    return [{ type: 'int32', data: [n] }, ...dropoutUniforms(this.draw)];
  }

  getUserCode(): string {
    return `
      ${WGSL_COMMON}
      ${DROPOUT_WGSL}
      fn main(index : i32) {
        if (index < uniforms.n) {
          result[index] = x[index] * dropoutScale(uniforms.key, u32(index), uniforms.threshold, uniforms.keepScale);
        }
      }
    `;
  }
}
