// POST /v1/embeddings: OpenAI's embeddings API as its clients send it (`input` a string, strings, token ids or
// lists of token ids; `encoding_format` float | base64; `dimensions`; `user` ignored) and answer it
// (`{object: 'list', data: [{object: 'embedding', index, embedding}], model, usage}`), plus bertkit's pooling
// (the [CLS] vector, the pooler output or the masked mean: @bertkit/heads embedBatch), layer, normalize and pair.
import { pairsFor, pickModel, truncateOf } from '../context.js';
import { ApiError } from '../errors.js';
import { base64Floats, embedItems, encodeItem, truncateDims } from './embed-input.js';
import { inputSchema, modelField, objectSchema, truncateField, usageSchema, type RouteDef } from './route-def.js';
import type { ResolvedOptions } from '../options.js';

interface Body {
  model?: string;
  input: string | (string | number | number[])[];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  pair?: string | string[];
  pooling?: 'cls' | 'mean' | 'pooled';
  layer?: number;
  normalize?: boolean;
  truncate?: boolean;
}

/** A string, or a list of strings, of token ids, or of lists of token ids (OpenAI's four forms). */
function openAiInput(o: ResolvedOptions): Record<string, unknown> {
  return {
    type: ['string', 'array'],
    minLength: 1,
    maxLength: o.maxTextChars,
    minItems: 1,
    maxItems: o.maxTexts,
    // each entry: a text, a token id (the list is one input), or a list of token ids
    items: { type: ['string', 'integer', 'array'], minLength: 1, maxLength: o.maxTextChars, minimum: 0, minItems: 1, items: { type: 'integer', minimum: 0 } },
    description: `Texts to embed: a string, a list of at most ${o.maxTexts} strings (1..${o.maxTextChars} characters), a list of token ids, or a list of lists of token ids (the model's vocabulary ids, used as given)`,
  };
}

export const embeddingsRoute: RouteDef = {
  method: 'POST',
  url: '/v1/embeddings',
  summary: 'Sentence embeddings, OpenAI-compatible (CLS, pooled or mean pooling, any layer)',
  body: (o) =>
    objectSchema(
      {
        model: modelField,
        input: openAiInput(o),
        encoding_format: { type: 'string', enum: ['float', 'base64'], description: 'float (default): numbers; base64: little-endian float32 bytes, base64 (what the openai clients ask for)' },
        dimensions: { type: 'integer', minimum: 1, description: "Keep the first N components (Matryoshka truncation, re-normalised when normalize); at most the model's hidden size" },
        user: { type: 'string', description: 'Accepted and ignored (OpenAI end-user id)' },
        pair: inputSchema(o, 'Second sentence per text input (segment B, token type 1), as /v1/classify takes it; bertkit only'),
        pooling: { type: 'string', enum: ['cls', 'mean', 'pooled'], description: 'Default mean' },
        layer: { type: 'integer', minimum: -1000, maximum: 1000, description: 'Hidden layer: 0 = embeddings, L = last, negative from the end (-1 = last, default)' },
        normalize: { type: 'boolean', description: 'L2-normalise each vector (default false)' },
        truncate: truncateField,
      },
      ['input'],
    ),
  response: objectSchema({
    object: { type: 'string', enum: ['list'] },
    data: {
      type: 'array',
      items: objectSchema({
        object: { type: 'string', enum: ['embedding'] },
        index: { type: 'integer' },
        embedding: { type: ['array', 'string'], items: { type: 'number' }, description: 'numbers, or a base64 string with encoding_format base64' },
      }),
    },
    model: { type: 'string' },
    usage: usageSchema,
  }),
  handler: async (ctx, body: Body) => {
    const m = pickModel(ctx, body.model, 'embeddings');
    const L = m.config.numHiddenLayers;
    const H = m.config.hiddenSize;
    const layer = body.layer ?? L;
    if (layer < -(L + 1) || layer > L) throw new ApiError(400, 'invalid_request', `layer: expected an integer in [-${L + 1}, ${L}] for ${m.name}, got ${layer}`, 'layer');
    if (body.dimensions !== undefined && body.dimensions > H) {
      throw new ApiError(400, 'invalid_dimensions', `dimensions: expected an integer in [1, ${H}] (the hidden size of ${m.name}), got ${body.dimensions}`, 'dimensions');
    }
    const pooling = body.pooling ?? 'mean';
    const resolvedLayer = layer < 0 ? L + 1 + layer : layer;
    if (pooling === 'pooled' && (m.encoder.pooler === null || resolvedLayer !== L)) {
      throw new ApiError(400, 'invalid_request', `pooling: 'pooled' needs a checkpoint with a pooler and the last layer (${m.name}: pooler ${m.encoder.pooler !== null}, layer ${resolvedLayer})`, 'pooling');
    }
    if (ctx.options.engine === 'ort' && resolvedLayer !== L) {
      throw new ApiError(400, 'invalid_request', `layer: expected the last layer (-1 or ${L}) with --engine ort, got ${layer} (--engine tfjs serves every layer)`, 'layer');
    }
    const truncate = truncateOf(ctx, body.truncate);
    const items = embedItems(body.input, 'input');
    const single = items.length === 1 && (typeof body.input === 'string' || typeof body.input[0] === 'number');
    const tooLong = (field: string, n: number, max: number) =>
      new ApiError(400, 'input_too_long', `${field}: ${n} tokens, more than the model's limit of ${max} (send "truncate": true to cut it)`, field);
    const pairs = pairsFor(items as string[], body.pair, 'pair');
    const rows = items.map((item, i) => encodeItem(m, item, single ? 'input' : `input[${i}]`, { truncate, tooLong, pair: pairs[i] }));
    const options = { pooling, layer: resolvedLayer, normalize: body.normalize ?? false };
    const vectors = await ctx.batcher.submit({
      key: `${m.name}:embeddings:${pooling}:${resolvedLayer}:${options.normalize}`,
      items: rows,
      rows: rows.length,
      length: Math.max(...rows.map((r) => r.inputIds.length)),
      exec: (batch) => ctx.engine.embed(m, options, batch),
    });
    const tokens = rows.reduce((a, r) => a + r.inputIds.length, 0);
    const encode = body.encoding_format === 'base64' ? base64Floats : (v: number[]) => v;
    return {
      object: 'list',
      data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: encode(truncateDims(v, body.dimensions, options.normalize)) })),
      model: m.name,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  },
};
