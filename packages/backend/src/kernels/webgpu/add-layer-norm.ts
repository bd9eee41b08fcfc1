// LayerNorm(x + residual) over the last axis in one dispatch: the post-LN tail of every BERT sub-layer
// (HF `BertSelfOutput` / `BertOutput`: `LayerNorm(hidden_states + input_tensor)`).
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { dropoutUniforms } from './dropout.js';
import { LAYER_NORM_WGSL, LN_THREADS, layerNormDropout, layerNormInputKey, layerNormInputWgsl, type LayerNormInput } from './layer-norm-wgsl.js';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

/**
 * LayerNorm(dropout(x) + residual). Inputs: x [M, H], (residual [M, H]), gamma [H], beta [H]; output [M, H]. One
 * workgroup of 64 invocations per row; H up to 2048. x's dropout (training) tests the mask of flat index r·H + c.
 */
export class AddLayerNormProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0, 1] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [LN_THREADS, 1, 1];
  readonly variableNames: string[];
  readonly uniforms = 'm : i32, h : i32, eps : f32, key : u32, threshold : u32, keepScale : f32,';

  constructor(
    m: number,
    h: number,
    private readonly input: LayerNormInput,
    private readonly eps: number,
  ) {
    this.outputShape = [m, h];
    this.variableNames = input.residual ? ['x', 'residual', 'gamma', 'beta'] : ['x', 'gamma', 'beta'];
    this.dispatch = flatDispatch(m);
    this.shaderKey = `bertkit_add_layer_norm_${layerNormInputKey(input)}`;
  }

  uniformData(): ProgramUniform[] {
    return [...scalars('int32', this.outputShape), ...scalars('float32', [this.eps]), ...dropoutUniforms(layerNormDropout(this.input))];
  }

  getUserCode(): string {
    const read = 'readV(base + c)';
    return `
      ${WGSL_COMMON}
      ${layerNormInputWgsl(this.input)}
      ${LAYER_NORM_WGSL}
      fn main(index : i32) {
        let row = workgroupIndex();
        let valid = row < uniforms.m;
        let base = min(row, uniforms.m - 1) * uniforms.h;
        let lid = i32(localIndex);
        for (var i = 0; i < (uniforms.h + THREADS - 1) / THREADS; i = i + 1) {
          let c = i * THREADS + lid;
          if (c < uniforms.h) { rowVals[c] = ${read}; }
        }
        layerNormRow(row, valid, lid);
      }
    `;
  }
}
