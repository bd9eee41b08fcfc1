// Checkpoint tensors as the exporter reads them: float32 in HF layout (nn.Linear weights [out, in]) under the
// normalised names of @bertkit/encoder (no `bert.` prefix, gamma/beta → weight/bias).
import { normalizeWeights, toFloat32, type RawTensor } from '@bertkit/encoder';
import { OnnxExportError } from './errors.js';

export interface Weight {
  data: Float32Array;
  shape: number[];
}

export class Weights {
  private readonly tensors: Map<string, RawTensor>;

  /** `tensors`: a checkpoint's name → tensor map, any naming `normalizeWeights` accepts. */
  constructor(tensors: Map<string, RawTensor>) {
    this.tensors = normalizeWeights(tensors).tensors;
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  /** The tensor as float32; `shape` (HF layout) is checked when given. Throws naming the key when absent. */
  get(name: string, shape?: readonly number[]): Weight {
    const t = this.tensors.get(name);
    if (t === undefined) throw new OnnxExportError(name, 'a checkpoint tensor', 'absent');
    if (shape !== undefined && (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))) {
      throw new OnnxExportError(name, `shape [${shape.join(', ')}]`, `[${t.shape.join(', ')}]`);
    }
    return { data: toFloat32(t), shape: [...t.shape] };
  }

  /** An nn.Linear weight [out, in] transposed to the [in, out] a MatMul wants. */
  linear(name: string, out: number, inp: number): Weight {
    const w = this.get(name, [out, inp]).data;
    const t = new Float32Array(out * inp);
    for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = w[o * inp + i];
    return { data: t, shape: [inp, out] };
  }
}
