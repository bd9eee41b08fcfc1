// The OpenAPI 3.1 document, generated from the same route table whose schemas validate requests (so the
// contract cannot drift from what the server enforces).
import type { ResolvedOptions } from './options.js';
import type { JsonSchema, RouteDef } from './routes/route-def.js';

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'field'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        field: { type: ['string', 'null'] },
        type: { type: 'string', enum: ['invalid_request_error', 'server_error'], description: "OpenAI's error type" },
        param: { type: ['string', 'null'], description: "OpenAI's name for field" },
      },
    },
  },
};

const teiErrorSchema: JsonSchema = {
  type: 'object',
  required: ['error', 'error_type'],
  properties: { error: { type: 'string' }, error_type: { type: 'string', enum: ['Validation', 'Tokenizer', 'Empty', 'Overloaded', 'Backend', 'Unhealthy'] } },
};

const ERRORS: Record<string, string> = {
  '400': 'Bad input: invalid_json, invalid_utf8, invalid_request, input_too_long, missing_mask, unsupported_operation',
  '401': 'unauthorized: missing or wrong bearer API key',
  '404': 'model_not_found',
  '413': 'body_too_large',
  '415': 'unsupported_media_type: the body must be application/json',
  '429': 'queue_full (with Retry-After)',
  '503': 'timeout or shutting_down',
};

const TEI_ERRORS: Record<string, string> = {
  '400': 'Empty: an empty input or batch; malformed JSON',
  '401': 'missing or wrong bearer API key',
  '413': 'request body larger than the limit',
  '422': 'Validation (too many tokens without truncate, batch above max_client_batch_size, bad fields) or Tokenizer',
  '424': 'Backend: the served model has no head for this route, or inference failed',
  '429': 'Overloaded: the queue is full',
};

export interface PlainRoute {
  method: 'GET';
  url: string;
  summary: string;
  contentType: string;
  response: JsonSchema;
  /** Path parameters (`{name}` in the url), all required strings. */
  params?: string[];
}

export function openApiDocument(routes: RouteDef[], plain: PlainRoute[], o: ResolvedOptions, version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const responsesOf = (table: Record<string, string>, ref: string) =>
    Object.fromEntries(Object.entries(table).map(([code, description]) => [code, { description, content: { 'application/json': { schema: { $ref: ref } } } }]));
  const errorResponses = responsesOf(ERRORS, '#/components/schemas/Error');
  const teiErrorResponses = responsesOf(TEI_ERRORS, '#/components/schemas/TeiError');
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: r.operationId ?? r.url.replace(/^\/v1\//, '').replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()),
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: r.response } } }, ...(r.dialect === 'tei' ? teiErrorResponses : errorResponses) },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: r.body(o) } } };
    if (o.apiKey) op.security = [{ bearer: [] }];
    paths[r.url] = { ...(paths[r.url] ?? {}), [r.method.toLowerCase()]: op };
  }
  for (const p of plain) {
    const parameters = (p.params ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const op: Record<string, unknown> = { summary: p.summary, operationId: p.url.replace(/[^A-Za-z0-9]/g, ''), responses: { '200': { description: 'OK', content: { [p.contentType]: { schema: p.response } } } } };
    if (parameters.length > 0) op.parameters = parameters;
    paths[p.url] = { get: op };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'bertkit inference server', version, description: 'BERT inference (tokenize, embeddings, fill-mask, classify, qa, ner, multiple-choice) with dynamic batching; /v1/embeddings is OpenAI-compatible, and /embed, /embed_all, /predict, /tokenize, /decode, /info, /health are HF text-embeddings-inference-compatible.' },
    paths,
    components: {
      schemas: { Error: errorSchema, TeiError: teiErrorSchema },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}
