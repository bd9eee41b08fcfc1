// BERT's input representation in one dispatch (paper §3.2, HF `BertEmbeddings`): gather the word, token-type and
// position rows of each token, sum them in HF's order ((word + type) + position), LayerNorm, and (training) the
// embeddings' dropout tested in place. The sum is written too, for the backward pass (no second gather).
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { DropoutDraw } from '../../ops/dropout-hash.js';
import { dropoutUniforms } from './dropout.js';
import { LAYER_NORM_WGSL, LN_THREADS, layerNormDropoutWgsl } from './layer-norm-wgsl.js';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

/**
 * Inputs: wordIds [M] int32, typeIds [M] int32, word [V, H], position [P, H], type [TV, H], gamma [H],
 * beta [H]; output [2·M·H]: dropout(LayerNorm(sum)) [M, H], then the sum [M, H]. Token m of a [B, T] batch
 * (m = b·T + t) takes position row t (HF's default `position_ids`, 0..T-1). One workgroup per token; ids outside a
 * table are clamped to its last row.
 */
export class EmbeddingsLayerNormProgram implements WebGPUProgram {
  readonly outputShape: number[];
  readonly shaderKey: string;
  readonly dispatchLayout = { x: [0, 1] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [LN_THREADS, 1, 1];
  readonly variableNames = ['wordIds', 'typeIds', 'word', 'position', 'tokenType', 'gamma', 'beta'];
  readonly uniforms = 'm : i32, h : i32, t : i32, vocab : i32, positions : i32, types : i32, eps : f32, key : u32, threshold : u32, keepScale : f32,';

  constructor(
    private readonly m: number,
    private readonly h: number,
    private readonly seqLength: number,
    private readonly tables: { vocab: number; positions: number; types: number },
    private readonly eps: number,
    private readonly dropout: DropoutDraw | null = null,
  ) {
    this.outputShape = [2 * m * h];
    this.dispatch = flatDispatch(m);
    this.shaderKey = `bertkit_embeddings_layer_norm_${dropout !== null}`;
  }

  uniformData(): ProgramUniform[] {
    const { vocab, positions, types } = this.tables;
    return [
      ...scalars('int32', [this.m, this.h, this.seqLength, vocab, positions, types]),
      ...scalars('float32', [this.eps]),
      ...dropoutUniforms(this.dropout),
    ];
  }

  getUserCode(): string {
    return `
      ${WGSL_COMMON}
      ${layerNormDropoutWgsl({ residual: false, dropout: null, outputDropout: this.dropout })}
      ${LAYER_NORM_WGSL}
      fn main(index : i32) {
        let row = workgroupIndex();
        let valid = row < uniforms.m;
        let token = min(row, uniforms.m - 1);
        let h = uniforms.h;
        let w = clamp(i32(wordIds[token]), 0, uniforms.vocab - 1) * h;
        let ty = clamp(i32(typeIds[token]), 0, uniforms.types - 1) * h;
        let p = min(token % uniforms.t, uniforms.positions - 1) * h;
        let lid = i32(localIndex);
        for (var i = 0; i < (h + THREADS - 1) / THREADS; i = i + 1) {
          let c = i * THREADS + lid;
          if (c < h) {
            let v = (word[w + c] + tokenType[ty + c]) + position[p + c];
            rowVals[c] = v;
            if (valid) { setOutputAtIndex(uniforms.m * h + row * h + c, v); }
          }
        }
        layerNormRow(row, valid, lid);
      }
    `;
  }
}
