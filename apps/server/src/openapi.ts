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
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: ['string', 'null'] } },
    },
  },
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
  const errorResponses = Object.fromEntries(Object.entries(ERRORS).map(([code, description]) => [code, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]));
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: r.url.replace(/^\/v1\//, '').replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()),
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: r.response } } }, ...errorResponses },
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
    info: { title: 'bertkit inference server', version, description: 'BERT inference (tokenize, embeddings, fill-mask, classify, qa, ner, multiple-choice) with dynamic batching.' },
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}
