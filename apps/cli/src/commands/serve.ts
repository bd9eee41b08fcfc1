// `bert serve`: the HTTP inference server of @bertkit/server (same flags as its `bert-server` binary). The app
// hands the parsed flags to the package (serveArgsFromValues); validation, limits and the server live there.
import { SERVE_OPTIONS, ServerConfigError, serve, serveArgsFromValues, type ServeValues } from '@bertkit/server';
import { UsageError, type Command, type OptionSpec } from '../command.js';

const DESCRIPTIONS: Record<keyof typeof SERVE_OPTIONS, [string, string?]> = {
  model: ['HF model directory or hub id (org/name[@revision]), or <name>=<dir|id>; repeatable', 'dir|id'],
  tokenizer: ['tokenizer directory for models whose folder has no vocab.txt / tokenizer.json', 'dir'],
  port: ['port (default 8080; 0 = any free port)', 'n'],
  host: ['address to listen on (default 127.0.0.1)', 'addr'],
  backend: ['tfjs backend (default: a GPU adapter, else wasm, else cpu; a software GPU only when named)', 'name'],
  'no-batching': ['run every request alone (no dynamic batching)'],
  'max-batch-size': ['rows per forward pass (default 32)', 'n'],
  'max-batch-tokens': ['padded tokens per forward pass (default 8192)', 'n'],
  'max-wait-ms': ['wait for a batch to fill (default 2)', 'ms'],
  'max-queue': ['queued requests before 429 (default 256)', 'n'],
  'timeout-ms': ['per-request timeout, 503 after (default 30000)', 'ms'],
  'body-limit': ['request body limit, 413 above (default 2 MiB)', 'bytes'],
  'max-texts': ['texts per request (default 128)', 'n'],
  'max-text-chars': ['characters per text (default 100000)', 'n'],
  'max-tokens': ["tokens per sequence (default the model's max_position_embeddings)", 'n'],
  overflow: ['longer sequences: reject (400, default) or truncate', 'mode'],
  'api-key': ['require Authorization: Bearer <key> on /v1/* (or env BERT_API_KEY)', 'key'],
  cors: ["'*' or comma-separated origins allowed by CORS", 'origins'],
  web: ['serve the built web demo (apps/web/dist) under /app/; it loads models from /v1/models/<name>/files/', 'dir'],
  worker: ['run forward passes in a worker_thread (keeps the event loop free)'],
  engine: ['tfjs (default) | ort: forward passes in ONNX Runtime (needs onnxruntime-node; CPU; embeddings of the last layer)', 'name'],
  threads: ["ORT threads per forward pass (default ORT's: the physical cores); with --engine ort", 'n'],
  log: ['request log on stderr'],
};

const options = Object.fromEntries(
  Object.entries(SERVE_OPTIONS).map(([k, spec]) => {
    const [description, valueName] = DESCRIPTIONS[k as keyof typeof SERVE_OPTIONS];
    return [k, { ...spec, description, ...(valueName ? { valueName } : {}) } as OptionSpec];
  }),
);

export const serveCommand: Command = {
  name: 'serve',
  summary: 'HTTP inference server (tokenize, embeddings, fill-mask, classify, qa, ner, multiple-choice)',
  usage: '--model <dir|hub id> [--model <name>=<dir|id> ...] [--port <n>] [--host <addr>] [--backend <name>] [limits]',
  options,
  async run(values, _positionals, io) {
    try {
      return await serve(serveArgsFromValues(values as ServeValues, process.env), io);
    } catch (e) {
      if (e instanceof ServerConfigError) throw new UsageError(e.message);
      throw e;
    }
  },
};
