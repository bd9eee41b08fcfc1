// Command-line options of `bert serve` and `bert-server` (same flags): argv → ServerOptions + where to listen.
import { BACKEND_NAMES, type BackendName } from '@bertkit/backend';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ServerConfigError } from './errors.js';
import { ENGINE_NAMES, type EngineName, type ModelSpec, type ServerOptions } from './options.js';

export const SERVE_USAGE = `--model <hf-dir|hub-id> | --model <name>=<hf-dir|hub-id> (repeatable) [options]
  --tokenizer <dir>          tokenizer (vocab.txt / tokenizer.json) for models whose folder has none
  --port <n>                 default 8080 (0 = any free port)
  --host <addr>              default 127.0.0.1
  --backend <name>           ${BACKEND_NAMES.join(' | ')} (default: a GPU, else tfjs-node, wasm, cpu)
  --no-batching              run every request alone (no dynamic batching)
  --max-batch-size <n>       rows per forward pass (default 32)
  --max-batch-tokens <n>     padded tokens per forward pass (default 8192)
  --max-wait-ms <n>          wait for a batch to fill (default 2)
  --max-queue <n>            queued requests before 429 (default 256)
  --timeout-ms <n>           per-request timeout, 503 after (default 30000)
  --body-limit <bytes>       413 above (default 2097152)
  --max-texts <n>            texts per request (default 128)
  --max-text-chars <n>       characters per text (default 100000)
  --max-tokens <n>           tokens per sequence (default the model's max_position_embeddings)
  --overflow reject|truncate longer sequences: 400 input_too_long (default) or cut
  --api-key <key>            require Authorization: Bearer <key> on /v1/* (or env BERT_API_KEY)
  --cors <origins>           '*' or comma-separated origins allowed by CORS
  --web <dir>                serve a built web demo (apps/web/dist) under /app/; models' files under /v1/models/<name>/files/
  --engine tfjs|ort          forward passes on tfjs (default) or ONNX Runtime (needs onnxruntime-node; CPU)
  --threads <n>              ORT threads per forward pass (default ORT's: the physical cores)
  --worker                   run forward passes in a worker_thread (keeps the event loop free)
  --log                      request log on stderr`;

export interface ServeArgs {
  options: ServerOptions;
  port: number;
  host: string;
}

function int(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min) throw new ServerConfigError(`--${name}`, `an integer >= ${min}`, JSON.stringify(v));
  return n;
}

/**
 * `<dir>`, `<hub-id>` or `<name>=<dir|hub-id>`: an existing path becomes absolute; anything else is kept as given
 * (a hub id like `org/name[@revision]`, resolved when the server starts). The default name is the last segment.
 */
export function parseModelArg(arg: string, tokenizer: string | undefined): ModelSpec {
  const eq = arg.indexOf('=');
  const given = eq > 0 ? arg.slice(eq + 1) : arg;
  if (given.length === 0) throw new ServerConfigError('--model', '<dir>, <hub-id> or <name>=<dir|hub-id>', JSON.stringify(arg));
  const dir = existsSync(given) ? resolve(given) : given;
  const name = eq > 0 ? arg.slice(0, eq) : basename(dir.split('@')[0]);
  return { name, dir, ...(tokenizer ? { tokenizerDir: resolve(tokenizer) } : {}) };
}

const OPTIONS = {
  model: { type: 'string', multiple: true },
  tokenizer: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  backend: { type: 'string' },
  'no-batching': { type: 'boolean' },
  'max-batch-size': { type: 'string' },
  'max-batch-tokens': { type: 'string' },
  'max-wait-ms': { type: 'string' },
  'max-queue': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'body-limit': { type: 'string' },
  'max-texts': { type: 'string' },
  'max-text-chars': { type: 'string' },
  'max-tokens': { type: 'string' },
  overflow: { type: 'string' },
  'api-key': { type: 'string' },
  cors: { type: 'string' },
  web: { type: 'string' },
  worker: { type: 'boolean' },
  log: { type: 'boolean' },
  engine: { type: 'string' },
  threads: { type: 'string' },
} as const;

/** The option table of `bert serve` (node:util parseArgs form). */
export const SERVE_OPTIONS = OPTIONS;

function parseArgsChecked(argv: string[]) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS });
  } catch (e) {
    throw new ServerConfigError('arguments', SERVE_USAGE.split('\n')[0], (e as Error).message);
  }
}

/** The flag values of `bert serve` as node:util parseArgs gives them for SERVE_OPTIONS (what apps/cli has parsed). */
export type ServeValues = ReturnType<typeof parseArgsChecked>['values'];

export function parseServeArgs(argv: string[], env: Record<string, string | undefined> = {}): ServeArgs {
  return serveArgsFromValues(parseArgsChecked(argv).values, env);
}

/** Already-parsed flag values → server options + where to listen (validated: ServerConfigError names the flag). */
export function serveArgsFromValues(v: ServeValues, env: Record<string, string | undefined> = {}): ServeArgs {
  if (!v.model || v.model.length === 0) throw new ServerConfigError('--model', 'at least one <hf-dir> or <name>=<hf-dir>', 'none');
  if (v.backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(v.backend)) {
    throw new ServerConfigError('--backend', BACKEND_NAMES.join(' | '), JSON.stringify(v.backend));
  }
  if (v.engine !== undefined && !(ENGINE_NAMES as readonly string[]).includes(v.engine)) throw new ServerConfigError('--engine', ENGINE_NAMES.join(' | '), JSON.stringify(v.engine));
  if (v.threads !== undefined && v.engine !== 'ort') throw new ServerConfigError('--threads', '--engine ort (ORT threads)', `--engine ${v.engine ?? 'tfjs'}`);
  if (v.overflow !== undefined && v.overflow !== 'reject' && v.overflow !== 'truncate') throw new ServerConfigError('--overflow', 'reject | truncate', JSON.stringify(v.overflow));
  const options: ServerOptions = {
    models: v.model.map((m) => parseModelArg(m, v.tokenizer)),
    backend: v.backend as BackendName | undefined,
    batching: !v['no-batching'],
    maxBatchSize: int(v['max-batch-size'], 'max-batch-size', 1),
    maxBatchTokens: int(v['max-batch-tokens'], 'max-batch-tokens', 1),
    maxWaitMs: int(v['max-wait-ms'], 'max-wait-ms', 0),
    maxQueue: int(v['max-queue'], 'max-queue', 1),
    requestTimeoutMs: int(v['timeout-ms'], 'timeout-ms', 1),
    bodyLimit: int(v['body-limit'], 'body-limit', 1),
    maxTexts: int(v['max-texts'], 'max-texts', 1),
    maxTextChars: int(v['max-text-chars'], 'max-text-chars', 1),
    maxTokens: int(v['max-tokens'], 'max-tokens', 3),
    overflow: v.overflow as 'reject' | 'truncate' | undefined,
    apiKey: v['api-key'] ?? env.BERT_API_KEY,
    corsOrigins: v.cors === undefined ? undefined : v.cors === '*' ? '*' : v.cors.split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    inference: v.worker ? 'worker' : undefined,
    webDir: v.web,
    logger: v.log ?? false,
    engine: v.engine as EngineName | undefined,
    threads: int(v.threads, 'threads', 1),
  };
  for (const k of Object.keys(options) as (keyof ServerOptions)[]) if (options[k] === undefined) delete options[k];
  return { options, port: int(v.port, 'port', 0) ?? 8080, host: v.host ?? '127.0.0.1' };
}
