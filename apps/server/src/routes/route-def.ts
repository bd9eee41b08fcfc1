// A route as data: method, path, request/response JSON schemas and the handler. The same table registers the
// Fastify routes (request schemas validate every body) and generates /openapi.json.
import type { Ctx } from '../context.js';
import type { ResolvedOptions } from '../options.js';

export type JsonSchema = Record<string, unknown>;

export interface RouteDef {
  method: 'GET' | 'POST';
  url: string;
  summary: string;
  /** OpenAPI operationId; default from the url (`/v1/fill-mask` → fillMask). */
  operationId?: string;
  /** Error shape: the /v1 one (default) or TEI's `{error, error_type}` with TEI's status codes. */
  dialect?: 'tei';
  /** Request body schema (POST), built from the server's limits. */
  body?: (o: ResolvedOptions) => JsonSchema;
  /** Success response schema (documentation). */
  response: JsonSchema;
  handler: (ctx: Ctx, body: never) => Promise<unknown>;
}

export const modelField: JsonSchema = { type: 'string', minLength: 1, maxLength: 200, description: 'A loaded model name (GET /v1/models); default: the first model that serves this route' };

export function textSchema(o: ResolvedOptions, description: string): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: o.maxTextChars, description };
}

/** A string or a non-empty list of strings (one per input). */
export function inputSchema(o: ResolvedOptions, description: string): JsonSchema {
  return {
    type: ['string', 'array'],
    minLength: 1,
    maxLength: o.maxTextChars,
    items: { type: 'string', minLength: 1, maxLength: o.maxTextChars },
    minItems: 1,
    maxItems: o.maxTexts,
    description: `${description} (a string or a list of at most ${o.maxTexts} strings of 1..${o.maxTextChars} characters)`,
  };
}

export const truncateField: JsonSchema = {
  type: 'boolean',
  description: "Cut sequences longer than the model's token limit (true) or answer 400 input_too_long (false). Default: the server's --overflow option (reject).",
};

export function objectSchema(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, required };
}

export const usageSchema: JsonSchema = objectSchema({ prompt_tokens: { type: 'integer' }, total_tokens: { type: 'integer' } });
