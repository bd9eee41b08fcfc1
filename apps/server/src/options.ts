// Server options: plain object, defaults documented here, validated once by resolveOptions.
import type { BackendName, InitBackendOptions } from '@bertkit/backend';
import { ServerConfigError } from './errors.js';

export interface ModelSpec {
  /** Name used in requests (`model` field) and in /v1/models. */
  name: string;
  /** HuggingFace model directory (config.json + model.safetensors / pytorch_model.bin). */
  dir: string;
  /** Tokenizer directory (vocab.txt or tokenizer.json); default `dir`. */
  tokenizerDir?: string;
}

export interface ServerOptions {
  models: ModelSpec[];
  /**
   * tfjs backend, exactly (named WebGPU may use a software adapter such as llvmpipe). Default: @bertkit/backend's
   * DEFAULT_PREFERENCE (a real GPU, then native TensorFlow, wasm, cpu).
   */
  backend?: BackendName;
  /** Dynamic batching on (default) or off (every request runs alone, at once). */
  batching?: boolean;
  /** Most sequences in one forward pass. Default 32. */
  maxBatchSize?: number;
  /** Most padded tokens (rows × longest row) in one forward pass. Default 8192. */
  maxBatchTokens?: number;
  /** How long the oldest queued request may wait for others to join its batch (concurrent traffic only). Default 2 ms. */
  maxWaitMs?: number;
  /** Most requests waiting for inference; more get 429 with Retry-After. Default 256. */
  maxQueue?: number;
  /** A request still unanswered after this long gets 503 `timeout`. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Request body limit in bytes; larger bodies get 413. Default 2 MiB. */
  bodyLimit?: number;
  /** Most texts (or choices) in one request. Default 128. */
  maxTexts?: number;
  /** Most characters (UTF-16 units) in one text, checked before tokenizing. Default 100 000. */
  maxTextChars?: number;
  /** Most tokens per sequence; default the model's max_position_embeddings. */
  maxTokens?: number;
  /** What a text longer than maxTokens gets when the request does not say: 'reject' (400) or 'truncate'. Default 'reject'. */
  overflow?: 'reject' | 'truncate';
  /** Bearer token required on /v1/* when set. */
  apiKey?: string;
  /** Origins allowed by CORS: '*' or a list; default none (no CORS headers). */
  corsOrigins?: '*' | string[];
  /**
   * Where forward passes run: 'main' (default; the event loop yields between passes) or 'worker' (a worker_thread
   * with its own copy of the models; needs the built package, dist/inference-worker.js).
   */
  inference?: 'main' | 'worker';
  /** A built web app folder (apps/web/dist) served under /app/, so the browser demo can load models from here. */
  webDir?: string;
  /** Fastify logger on. Default false. */
  logger?: boolean;
  /**
   * What runs the forward passes: 'tfjs' (default; the backend above) or 'ort' (ONNX Runtime through
   * onnxruntime-node, an optional package: the checkpoint's graph built in memory by @bertkit/onnx; CPU, last
   * layer only for embeddings). Tokenizing and post-processing are the same either way.
   */
  engine?: EngineName;
  /** ORT threads per forward pass (intraOpNumThreads); default ORT's (the physical cores). Only with engine 'ort'. */
  threads?: number;
}

export const ENGINE_NAMES = ['tfjs', 'ort'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export type ResolvedOptions = Required<Omit<ServerOptions, 'backend' | 'apiKey' | 'maxTokens' | 'corsOrigins' | 'webDir' | 'threads'>> &
  Pick<ServerOptions, 'backend' | 'apiKey' | 'maxTokens' | 'webDir' | 'threads'> & { corsOrigins: '*' | string[] };

const DEFAULTS = {
  batching: true,
  maxBatchSize: 32,
  maxBatchTokens: 8192,
  maxWaitMs: 2,
  maxQueue: 256,
  requestTimeoutMs: 30_000,
  bodyLimit: 2 * 1024 * 1024,
  maxTexts: 128,
  maxTextChars: 100_000,
  overflow: 'reject' as const,
  inference: 'main' as const,
  logger: false,
  engine: 'tfjs' as const,
};

function positiveInt(field: string, v: unknown, min = 1): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ServerConfigError(field, `an integer >= ${min}`, String(v));
}

export function resolveOptions(o: ServerOptions): ResolvedOptions {
  if (!Array.isArray(o.models) || o.models.length === 0) throw new ServerConfigError('models', 'at least one model', JSON.stringify(o.models));
  const names = new Set<string>();
  for (const m of o.models) {
    if (!/^[A-Za-z0-9._-]+$/.test(m.name)) throw new ServerConfigError('models[].name', 'letters, digits, . _ -', JSON.stringify(m.name));
    if (names.has(m.name)) throw new ServerConfigError('models[].name', 'unique names', `${m.name} twice`);
    names.add(m.name);
  }
  const r = { ...DEFAULTS, ...o, corsOrigins: o.corsOrigins ?? [] } as ResolvedOptions;
  positiveInt('maxBatchSize', r.maxBatchSize);
  positiveInt('maxBatchTokens', r.maxBatchTokens);
  positiveInt('maxWaitMs', r.maxWaitMs, 0);
  positiveInt('maxQueue', r.maxQueue);
  positiveInt('requestTimeoutMs', r.requestTimeoutMs);
  positiveInt('bodyLimit', r.bodyLimit);
  positiveInt('maxTexts', r.maxTexts);
  positiveInt('maxTextChars', r.maxTextChars);
  if (r.maxTokens !== undefined) positiveInt('maxTokens', r.maxTokens, 3);
  if (r.inference !== 'main' && r.inference !== 'worker') throw new ServerConfigError('inference', "'main' or 'worker'", String(r.inference));
  if (!(ENGINE_NAMES as readonly string[]).includes(r.engine)) throw new ServerConfigError('engine', ENGINE_NAMES.map((e) => `'${e}'`).join(' or '), JSON.stringify(r.engine));
  if (r.threads !== undefined) {
    positiveInt('threads', r.threads);
    if (r.engine !== 'ort') throw new ServerConfigError('threads', "engine 'ort' (tfjs backends choose their own threads)", `engine '${r.engine}'`);
  }
  if (r.overflow !== 'reject' && r.overflow !== 'truncate') throw new ServerConfigError('overflow', "'reject' or 'truncate'", String(r.overflow));
  return r;
}

/** The engine as the startup line and /readyz name it: `tfjs`, or `ort` with its threads. */
export function engineName(o: Pick<ResolvedOptions, 'engine' | 'threads'>): string {
  return o.engine === 'ort' ? `ort (onnxruntime-node, ${o.threads ?? 'default'} threads)` : 'tfjs';
}

/** What initBackend is asked: exactly `backend` when given, else its default preference (one default everywhere). */
export function backendRequest(backend: BackendName | undefined): InitBackendOptions {
  return backend ? { backend } : {};
}
