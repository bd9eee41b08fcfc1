// A forward pass that runs outside tfjs — ONNX Runtime through @bertkit/onnx's `createOrtBert` — as the heads
// see it: padded int ids in, named float outputs out (transformers.js / optimum names: `last_hidden_state`
// [B, T, H], `pooler_output` [B, H], `logits`, `start_logits` / `end_logits` [B, T]). The post-processing
// (pooling, top-k, labels, spans) is the same functions on the CPU side whichever engine computed the outputs.
import type { BertConfig } from '@bertkit/encoder';
import { HeadConfigError } from './errors';

export interface ForwardOutput {
  data: Float32Array;
  dims: number[];
}

export interface ForwardInputs {
  inputIds: ArrayLike<number>; // [B, T] (or [B, C, T]), row-major
  typeIds: ArrayLike<number>;
  attentionMask: ArrayLike<number>;
}

export interface ExternalForward {
  readonly config: BertConfig;
  /** What `run` can return. */
  readonly outputNames: readonly string[];
  /** One forward pass (dropout off) on padded ids of `shape`; `outputs` (default all) by name. */
  run(inputs: ForwardInputs, shape: readonly number[], outputs?: readonly string[]): Promise<Record<string, ForwardOutput>>;
}

export function isExternalForward(x: unknown): x is ExternalForward {
  return typeof (x as ExternalForward | null)?.run === 'function' && Array.isArray((x as ExternalForward).outputNames);
}

/** The output `name` of an engine, or a HeadConfigError naming what it has. */
export function requireOutput(f: ExternalForward, name: string, what: string): void {
  if (!f.outputNames.includes(name)) throw new HeadConfigError(`engine output ${name}`, `an engine with ${what}`, `outputs ${f.outputNames.join(', ')}`);
}

/**
 * Task logits as BertTaskModel.forward lays them out — `logits` ([B, K], [B, T, K], [B, C]), or question
 * answering's `start_logits` and `end_logits` interleaved into [B, T, 2] — from one external forward pass.
 */
export async function externalTaskLogits(f: ExternalForward, inputs: ForwardInputs, shape: readonly number[]): Promise<{ data: Float32Array; shape: number[] }> {
  if (f.outputNames.includes('start_logits')) {
    const { start_logits: s, end_logits: e } = await f.run(inputs, shape, ['start_logits', 'end_logits']); // [B, T] each
    const data = new Float32Array(s.data.length * 2);
    for (let i = 0; i < s.data.length; i++) {
      data[2 * i] = s.data[i];
      data[2 * i + 1] = e.data[i];
    }
    return { data, shape: [...s.dims, 2] };
  }
  requireOutput(f, 'logits', 'a task head');
  const { logits } = await f.run(inputs, shape, ['logits']);
  return { data: logits.data, shape: logits.dims };
}
