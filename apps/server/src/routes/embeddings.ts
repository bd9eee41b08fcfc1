// POST /v1/embeddings: one vector per input, shaped like OpenAI's embeddings API (data[].embedding, model,
// usage). Pooling: the [CLS] vector, the pooler output or the masked mean (@bertkit/heads embedBatch).
import { asList, encodeChecked, pickModel, rowOf, truncateOf } from '../context.js';
import { ApiError } from '../errors.js';
import { inputSchema, modelField, objectSchema, truncateField, usageSchema, type RouteDef } from './route-def.js';

interface Body {
  model?: string;
  input: string | string[];
  pooling?: 'cls' | 'mean' | 'pooled';
  layer?: number;
  normalize?: boolean;
  truncate?: boolean;
}

export const embeddingsRoute: RouteDef = {
  method: 'POST',
  url: '/v1/embeddings',
  summary: 'Sentence embeddings (CLS, pooled or mean pooling, any layer)',
  body: (o) =>
    objectSchema(
      {
        model: modelField,
        input: inputSchema(o, 'Texts to embed'),
        pooling: { type: 'string', enum: ['cls', 'mean', 'pooled'], description: 'Default mean' },
        layer: { type: 'integer', minimum: -1000, maximum: 1000, description: 'Hidden layer: 0 = embeddings, L = last, negative from the end (-1 = last, default)' },
        normalize: { type: 'boolean', description: 'L2-normalise each vector (default false)' },
        truncate: truncateField,
      },
      ['input'],
    ),
  response: objectSchema({
    object: { type: 'string', enum: ['list'] },
    data: { type: 'array', items: objectSchema({ object: { type: 'string', enum: ['embedding'] }, index: { type: 'integer' }, embedding: { type: 'array', items: { type: 'number' } } }) },
    model: { type: 'string' },
    usage: usageSchema,
  }),
  handler: async (ctx, body: Body) => {
    const m = pickModel(ctx, body.model, 'embeddings');
    const L = m.config.numHiddenLayers;
    const layer = body.layer ?? L;
    if (layer < -(L + 1) || layer > L) throw new ApiError(400, 'invalid_request', `layer: expected an integer in [-${L + 1}, ${L}] for ${m.name}, got ${layer}`, 'layer');
    const pooling = body.pooling ?? 'mean';
    const resolvedLayer = layer < 0 ? L + 1 + layer : layer;
    if (pooling === 'pooled' && (m.encoder.pooler === null || resolvedLayer !== L)) {
      throw new ApiError(400, 'invalid_request', `pooling: 'pooled' needs a checkpoint with a pooler and the last layer (${m.name}: pooler ${m.encoder.pooler !== null}, layer ${resolvedLayer})`, 'pooling');
    }
    const truncate = truncateOf(ctx, body.truncate);
    const texts = asList(body.input);
    const rows = texts.map((t, i) => rowOf(encodeChecked(m, t, null, typeof body.input === 'string' ? 'input' : `input[${i}]`, truncate)));
    const options = { pooling, layer: resolvedLayer, normalize: body.normalize ?? false };
    const vectors = await ctx.batcher.submit({
      key: `${m.name}:embeddings:${pooling}:${resolvedLayer}:${options.normalize}`,
      items: rows,
      rows: rows.length,
      length: Math.max(...rows.map((r) => r.inputIds.length)),
      exec: (items) => ctx.engine.embed(m, options, items),
    });
    const tokens = rows.reduce((a, r) => a + r.inputIds.length, 0);
    return {
      object: 'list',
      data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
      model: m.name,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  },
};
