// An inference engine on ONNX Runtime (onnxruntime-node, CPU): runs an exported `model.onnx` and returns its
// named outputs as Float32Arrays. onnxruntime-node is an optional dependency, imported on first use only.
import { OrtEngineError } from './errors.js';

/** The parts of onnxruntime-node's API used here (kept local so that its types are not needed to compile). */
interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>, fetches?: readonly string[]): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  InferenceSession: { create(model: string | Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensor;
}

export interface OrtEncoderOptions {
  /** Threads for one operator (ORT `intraOpNumThreads`). Default: ORT's choice (the physical cores). */
  threads?: number;
  /** ORT graph optimisation level. Default 'all' (ORT fuses attention, LayerNorm, GELU where it can). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

export type IdArray = ArrayLike<number> | BigInt64Array;

export interface OrtInputs {
  inputIds: IdArray; // row-major, `shape`
  /** 1 = attend, 0 = padding; default all ones. */
  attentionMask?: IdArray;
  /** Segment ids; default all zeros (sentence A). */
  tokenTypeIds?: IdArray;
}

export interface OrtOutput {
  data: Float32Array;
  dims: number[];
}

export interface OrtEncoder {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /**
   * Runs the model on int ids of `shape` ([B, T], or [B, C, T] for multiple choice); outputs by name: `outputs`
   * when given (ORT then computes only what they need), else every output of the model.
   */
  run(inputs: OrtInputs, shape: readonly number[], outputs?: readonly string[]): Promise<Record<string, OrtOutput>>;
  /** Frees the session; the encoder cannot be used afterwards. */
  dispose(): Promise<void>;
}

/** Imports onnxruntime-node, or throws an OrtEngineError that says how to install it. */
export async function importOnnxRuntime(): Promise<OrtModule> {
  try {
    const mod = (await import('onnxruntime-node')) as unknown as OrtModule & { default?: OrtModule };
    return mod.InferenceSession ? mod : (mod.default as OrtModule);
  } catch (e) {
    throw new OrtEngineError(
      `the ort engine needs the optional package onnxruntime-node, which could not be loaded (${(e as Error).message}). ` +
        'Install it next to @bertkit/onnx: `npm install onnxruntime-node` (or `pnpm add onnxruntime-node`).',
    );
  }
}

function toInt64(name: string, x: IdArray | undefined, n: number, fill: number): BigInt64Array {
  if (x === undefined) return new BigInt64Array(n).fill(BigInt(fill));
  if (x.length !== n) throw new OrtEngineError(`OrtEncoder.run ${name}: expected ${n} values for the shape, got ${x.length}`);
  if (x instanceof BigInt64Array) return x;
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = BigInt(x[i]);
  return out;
}

/**
 * The session options every bertkit ORT session uses (CPU, one inter-op thread, sequential execution, `threads`
 * per operator); `caller` names who was given a bad `threads` in the error.
 */
export function ortSessionOptions(options: OrtEncoderOptions, caller: string): Record<string, unknown> {
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new OrtEngineError(`${caller} threads: expected a positive integer, got ${options.threads}`);
  }
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    executionMode: 'sequential',
    interOpNumThreads: 1,
    ...(options.threads !== undefined ? { intraOpNumThreads: options.threads } : {}),
  };
}

/** Opens an ONNX Runtime session on a `.onnx` file path or its bytes. */
export async function createOrtEncoder(model: string | Uint8Array, options: OrtEncoderOptions = {}): Promise<OrtEncoder> {
  const ort = await importOnnxRuntime();
  const session = await ort.InferenceSession.create(model, ortSessionOptions(options, 'createOrtEncoder'));
  let released = false;
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(inputs, shape, outputs) {
      if (released) throw new OrtEngineError('OrtEncoder.run: the session was disposed');
      if (shape.length < 2 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
        throw new OrtEngineError(`OrtEncoder.run shape: expected [B, T] or [B, C, T] of positive integers, got [${shape.join(', ')}]`);
      }
      const n = shape.reduce((a, b) => a * b, 1);
      const values: Record<string, BigInt64Array> = {
        input_ids: toInt64('inputIds', inputs.inputIds, n, 0),
        attention_mask: toInt64('attentionMask', inputs.attentionMask, n, 1),
        token_type_ids: toInt64('tokenTypeIds', inputs.tokenTypeIds, n, 0),
      };
      const feeds: Record<string, OrtTensor> = {};
      for (const name of session.inputNames) {
        const v = values[name];
        if (v === undefined) throw new OrtEngineError(`OrtEncoder.run: the model wants input ${name}, which is not a BERT input`);
        feeds[name] = new ort.Tensor('int64', v, shape);
      }
      const unknown = outputs?.filter((o) => !session.outputNames.includes(o)) ?? [];
      if (unknown.length > 0) throw new OrtEngineError(`OrtEncoder.run outputs: expected some of ${session.outputNames.join(', ')}, got ${unknown.join(', ')}`);
      const results = await (outputs === undefined ? session.run(feeds) : session.run(feeds, outputs));
      const out: Record<string, OrtOutput> = {};
      for (const [name, t] of Object.entries(results)) {
        if (!(t.data instanceof Float32Array)) throw new OrtEngineError(`OrtEncoder.run: output ${name} is ${t.type}, expected float32`);
        out[name] = { data: t.data, dims: [...t.dims] };
      }
      return out;
    },
    async dispose() {
      if (released) return;
      released = true;
      await session.release();
    },
  };
}
