// createServer: loads the models, then builds the Fastify app (JSON-schema validation on every route, one error
// shape, metrics, optional bearer key and CORS) around the dynamic batcher. Inference runs on the main thread in
// batches; the batcher yields to the event loop between them (see batcher.ts and the README's measurement).
import { initBackend, type BackendChoice } from '@bertkit/backend';
import type { DownloadProgress } from '@bertkit/hub';
import * as tf from '@tensorflow/tfjs-core';
import Fastify, { type FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { adapterName } from './backend-info.js';
import { Batcher } from './batcher.js';
import type { Ctx } from './context.js';
import { guardedEngine, mainThreadEngine, warmUp, workerEngine, type Engine, type EngineHealth } from './engine.js';
import { handleError } from './error-handler.js';
import { ApiError, errorBody } from './errors.js';
import { Metrics } from './metrics.js';
import { loadServedModel, resolveSpec, type ResolvedSpec, type ServedModel } from './model-registry.js';
import { openApiDocument, type PlainRoute } from './openapi.js';
import { backendRequest, engineName, resolveOptions, type ResolvedOptions, type ServerOptions } from './options.js';
import { inferenceRoutes } from './routes/index.js';
import { teiInfo } from './routes/tei/info.js';
import { teiRootRoute, teiRoutes } from './routes/tei/index.js';
import { MODEL_FILES, registerModelFiles, registerWebApp } from './static-files.js';

export const VERSION = '0.1.0';

export interface BertServer {
  app: FastifyInstance;
  options: ResolvedOptions;
  models: Map<string, ServedModel>;
  backend: BackendChoice['backend'];
  /** The backend initBackend chose: its name, the WebGPU adapter, why others were not chosen, and its notice. */
  backendChoice: BackendChoice;
  /** Null while inference works; else why the backend failed (warm-up or a later BackendError): /readyz says 503. */
  backendError(): string | null;
  metrics: Metrics;
  /** Starts listening; returns the base URL (port 0 picks a free port). */
  listen(port?: number, host?: string): Promise<string>;
  /** Graceful shutdown: stop accepting, answer every accepted request, then free the models. */
  close(): Promise<void>;
}

const PLAIN: PlainRoute[] = [
  { method: 'GET', url: '/v1/models', summary: 'Loaded models and the operations each serves', contentType: 'application/json', response: { type: 'object' } },
  { method: 'GET', url: '/healthz', summary: 'Liveness: the process answers', contentType: 'application/json', response: { type: 'object' } },
  { method: 'GET', url: '/readyz', summary: 'Readiness: models loaded, the backend ran a forward pass, not shutting down (503 otherwise)', contentType: 'application/json', response: { type: 'object' } },
  { method: 'GET', url: '/metrics', summary: 'Prometheus metrics', contentType: 'text/plain', response: { type: 'string' } },
  { method: 'GET', url: '/health', summary: 'TEI health: 200 with an empty body, 503 {error, error_type: Unhealthy} while shutting down', contentType: 'application/json', response: { type: 'string' } },
  { method: 'GET', url: '/info', summary: 'TEI info: the served (first) model and the limits', contentType: 'application/json', response: { type: 'object' } },
  { method: 'GET', url: '/openapi.json', summary: 'This document', contentType: 'application/json', response: { type: 'object' } },
  {
    method: 'GET',
    url: '/v1/models/{name}/files/{file}',
    summary: `A served model's HF file (${MODEL_FILES.join(', ')}), e.g. for the browser demo`,
    contentType: 'application/octet-stream',
    response: { type: 'string', format: 'binary' },
    params: ['name', 'file'],
  },
];

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ServerHooks {
  /** Download progress of models named by a hub id and not yet in the HF cache. */
  onDownload?: (p: DownloadProgress) => void;
}

export async function createServer(input: ServerOptions, hooks: ServerHooks = {}): Promise<BertServer> {
  const options = resolveOptions(input);
  const backendChoice = await initBackend(backendRequest(options.backend));
  const { backend } = backendChoice;
  const specs: ResolvedSpec[] = [];
  for (const spec of options.models) specs.push(await resolveSpec(spec, hooks.onDownload));
  const models = new Map<string, ServedModel>();
  try {
    // With a worker, the worker runs the engine; the main thread only tokenizes (no ORT session of its own).
    const local = options.inference === 'worker' ? { ...options, engine: 'tfjs' as const, threads: undefined } : options;
    for (const spec of specs) models.set(spec.name, await loadServedModel(spec, local));
  } catch (e) {
    for (const m of models.values()) m.dispose();
    throw e;
  }
  const metrics = new Metrics();
  const batcher = new Batcher(options, metrics);
  const limits = { maxBatchSize: options.maxBatchSize, maxBatchTokens: options.maxBatchTokens };
  const health: EngineHealth = { backendError: null };
  let engine: Engine;
  try {
    const inner = options.inference === 'worker' ? await workerEngine(options, specs, metrics) : mainThreadEngine(limits, metrics);
    engine = guardedEngine(inner, health);
  } catch (e) {
    for (const m of models.values()) m.dispose();
    throw e;
  }
  // one short forward pass per model before answering ready: a backend that cannot run (or read back) fails here
  await warmUp(engine, models.values(), health);
  const ctx: Ctx = { options, models, batcher, engine, metrics, limits };
  let closing = false;

  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allowUnionTypes: true, allErrors: false } },
  });
  app.removeAllContentTypeParsers();
  // Our own JSON parser: invalid UTF-8 is a 400 (not silently replaced by U+FFFD), as is malformed JSON.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body as Buffer);
    } catch {
      done(new ApiError(400, 'invalid_utf8', 'request body: expected UTF-8, got invalid byte sequences'), undefined);
      return;
    }
    if (text.trim().length === 0) return done(new ApiError(400, 'invalid_json', 'request body: expected a JSON object, got an empty body'), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new ApiError(400, 'invalid_json', `request body: malformed JSON (${(e as Error).message})`), undefined);
    }
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`, null, 404));
  });

  const origins = options.corsOrigins;
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin !== undefined && (origins === '*' || origins.includes(origin))) {
      void reply.header('access-control-allow-origin', origins === '*' ? '*' : origin).header('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        return reply
          .code(204)
          .header('access-control-allow-methods', 'GET, POST, OPTIONS')
          .header('access-control-allow-headers', 'content-type, authorization')
          .header('access-control-max-age', '600')
          .send();
      }
    }
    // The key guards every inference route (/v1/*, TEI's POST routes) and /info; health and metrics stay open.
    const guarded = req.url.startsWith('/v1/') || req.method === 'POST' || req.url.split('?')[0] === '/info';
    if (options.apiKey !== undefined && guarded) {
      const auth = req.headers.authorization ?? '';
      if (!sameSecret(auth, `Bearer ${options.apiKey}`)) {
        throw new ApiError(401, 'unauthorized', 'expected the header Authorization: Bearer <api key>', 'authorization', { 'www-authenticate': 'Bearer' });
      }
    }
  });
  // While draining, answers close their connection: otherwise a keep-alive connection that was busy when close()
  // began stays open until keepAliveTimeout (72 s in Fastify) and holds the shutdown.
  app.addHook('onSend', async (_req, reply) => {
    if (closing) void reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.inc('bert_requests_total', { route, method: req.method, status: String(reply.statusCode) });
    metrics.observe('bert_request_duration_seconds', { route }, reply.elapsedTime / 1000);
  });

  const first = models.values().next().value as ServedModel;
  const routes = [...inferenceRoutes, ...teiRoutes, teiRootRoute(first.operations.includes('classify'))];
  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.url,
      schema: r.body ? { body: r.body(options) } : {},
      config: { dialect: r.dialect },
      handler: async (req) => r.handler(ctx, req.body as never),
    });
  }
  app.get('/v1/models', async () => ({
    object: 'list',
    data: [...models.values()].map((m) => ({
      id: m.name,
      object: 'model',
      operations: m.operations,
      architectures: m.config.architectures ?? [],
      labels: m.config.id2label ? Object.values(m.config.id2label) : null,
      max_tokens: m.maxTokens,
      vocab_size: m.config.vocabSize,
      hidden_size: m.config.hiddenSize,
      layers: m.config.numHiddenLayers,
    })),
  }));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (closing) return reply.code(503).send(errorBody('shutting_down', 'the server is shutting down', null, 503));
    if (health.backendError !== null) return reply.code(503).send(errorBody('backend_failed', `backend ${backend}: ${health.backendError}`, null, 503));
    return { status: 'ready', models: [...models.keys()], engine: engineName(options), backend, ...(backendChoice.adapterInfo ? { adapter: adapterName(backendChoice.adapterInfo) } : {}) };
  });
  app.get('/health', { config: { dialect: 'tei' } }, async (_req, reply) => {
    if (closing || health.backendError !== null) return reply.code(503).send({ error: closing ? 'unhealthy' : `backend failed: ${health.backendError}`, error_type: 'Unhealthy' });
    return reply.code(200).send();
  });
  app.get('/info', { config: { dialect: 'tei' } }, async () => teiInfo(ctx, VERSION));
  app.get('/metrics', async (_req, reply) => {
    metrics.set('bert_queue_depth', {}, batcher.depth);
    const mem = process.memoryUsage();
    metrics.set('process_resident_memory_bytes', {}, mem.rss);
    metrics.set('nodejs_heap_used_bytes', {}, mem.heapUsed);
    metrics.set('tfjs_tensors', {}, tf.memory().numTensors);
    metrics.set('tfjs_bytes', {}, tf.memory().numBytes);
    return reply.type('text/plain; version=0.0.4').send(metrics.render());
  });
  registerModelFiles(app, models);
  if (options.webDir !== undefined) registerWebApp(app, options.webDir);
  const doc = openApiDocument(routes, PLAIN, options, VERSION);
  app.get('/openapi.json', async () => doc);
  app.addHook('onClose', async () => {
    await batcher.drain();
    await engine.close();
    for (const m of models.values()) m.dispose();
  });

  return {
    app,
    options,
    models,
    backend,
    backendChoice,
    backendError: () => health.backendError,
    metrics,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const a = app.server.address();
      if (a === null || typeof a === 'string') return String(a);
      return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    },
    async close() {
      closing = true;
      await app.close();
    },
  };
}
