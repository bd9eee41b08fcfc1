// @bertkit/server: a Node HTTP inference server for HF-format BERT checkpoints (Fastify, dynamic batching).
export { createServer, VERSION, type BertServer, type ServerHooks } from './server.js';
export { ENGINE_NAMES, backendRequest, engineName, resolveOptions, type EngineName, type ModelSpec, type ServerOptions, type ResolvedOptions } from './options.js';
export { ApiError, ServerConfigError, type ErrorBody } from './errors.js';
export { Batcher, type Job, type BatcherOptions } from './batcher.js';
export { Metrics } from './metrics.js';
export { parseServeArgs, serveArgsFromValues, SERVE_OPTIONS, SERVE_USAGE, type ServeArgs, type ServeValues } from './cli-args.js';
export { runServe, serve, type ServeIo } from './run-serve.js';
export { adapterName, describeBackendChoice } from './backend-info.js';
export type { ModelOrigin, Operation, ServedModel } from './model-registry.js';
