// HF's extended attention mask `(1 - mask) · float32.min` from a [B, T] padding mask in one elementwise dispatch
// (tfjs ops take three: cast, subtract, multiply).
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

const THREADS = 256;

/** Input mask [B, T] (int32 or float32); output [B, 1, 1, T] float32. */
export class AdditiveMaskProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [THREADS, 1, 1];
  readonly variableNames = ['mask'];
  readonly uniforms = 'n : i32,';

  constructor(
    private readonly batch: number,
    private readonly t: number,
    dtype: string,
  ) {
    this.outputShape = [batch, 1, 1, t];
    this.dispatch = flatDispatch(Math.ceil((batch * t) / THREADS));
    this.shaderKey = `bertkit_additive_mask_${dtype}`;
  }

  uniformData(): ProgramUniform[] {
    return scalars('int32', [this.batch * this.t]);
  }

  getUserCode(): string {
    return `
      ${WGSL_COMMON}
      fn main(index : i32) {
        if (index < uniforms.n) { result[index] = (1.0 - f32(mask[index])) * LOWEST; }
      }
    `;
  }
}
