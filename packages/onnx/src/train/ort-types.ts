// The parts of onnxruntime-node the training engines use, typed here so that compiling needs no ORT types; the
// module itself is an optional dependency, imported on first use.
import { importOnnxRuntime } from '../ort-encoder.js';

export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
}

export type OrtFeeds = Record<string, OrtTensor>;

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: OrtFeeds, fetches?: readonly string[]): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: {
    new (type: 'float32', data: Float32Array, dims: readonly number[]): OrtTensor;
    new (type: 'int64', data: BigInt64Array, dims: readonly number[]): OrtTensor;
  };
}

/** onnxruntime-node, or an OrtEngineError saying how to install it. */
export async function loadOrt(): Promise<OrtModule> {
  return (await importOnnxRuntime()) as unknown as OrtModule;
}
