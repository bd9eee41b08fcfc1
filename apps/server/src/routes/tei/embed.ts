// TEI's POST /embed (pooled vectors, normalised by default) and POST /embed_all (every token's last-layer
// vector), with TEI's request fields, defaults and errors (router/src/http/server.rs `embed`, `embed_all`).
import type { Ctx } from '../../context.js';
import { ApiError } from '../../errors.js';
import { embedItems, encodeItem, truncateDims } from '../embed-input.js';
import type { RouteDef } from '../route-def.js';
import { checkBatch, emptyError, poolingOf, promptField, promptOf, sideOf, teiInputs, teiModel, teiObject, teiTooLong, truncateFields, truncateOf } from './tei-common.js';

interface Body {
  inputs: string | (string | number | number[])[];
  truncate?: boolean | null;
  truncation_direction?: string;
  prompt_name?: string | null;
  normalize?: boolean;
  dimensions?: number | null;
}

/** The inputs of an embed request, checked as TEI does, encoded into rows. */
function rowsOf(ctx: Ctx, body: Body) {
  const m = teiModel(ctx);
  const batch = Array.isArray(body.inputs) && (body.inputs.length === 0 || typeof body.inputs[0] !== 'number');
  if (batch) checkBatch(ctx, body.inputs.length, 'inputs');
  const items = embedItems(body.inputs, 'inputs');
  const prompt = promptOf(m, body.prompt_name);
  const options = { truncate: truncateOf(ctx, body.truncate), side: sideOf(body.truncation_direction), prompt, tooLong: teiTooLong };
  const rows = items.map((item, i) => {
    const field = batch ? `inputs[${i}]` : 'inputs';
    if (item.length === 0) throw emptyError('inputs');
    return encodeItem(m, item, field, options);
  });
  return { m, rows, batch };
}

export const embedRoute: RouteDef = {
  method: 'POST',
  url: '/embed',
  operationId: 'teiEmbed',
  dialect: 'tei',
  summary: 'TEI: pooled embeddings (1_Pooling pooling, else mean; normalised by default) as number[][]',
  body: (o) =>
    teiObject(
      {
        inputs: teiInputs(o),
        ...truncateFields,
        prompt_name: promptField,
        normalize: { type: 'boolean', description: 'L2-normalise each vector (default true)' },
        dimensions: { type: ['integer', 'null'], minimum: 0, description: 'Keep the first N components (Matryoshka truncation), then normalise' },
      },
      ['inputs'],
    ),
  response: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
  handler: async (ctx, body: Body) => {
    const { m, rows } = rowsOf(ctx, body);
    const H = m.config.hiddenSize;
    const dims = body.dimensions ?? undefined;
    if (dims === 0) throw new ApiError(422, 'invalid_request', 'Input validation error: `dimensions` should be positive', 'dimensions');
    if (dims !== undefined && dims > H) throw new ApiError(422, 'invalid_request', `Input validation error: \`dimensions\` should be smaller than the maximum embedding dimension (${H}), got ${dims}`, 'dimensions');
    const L = m.config.numHiddenLayers;
    const options = { pooling: poolingOf(m), layer: L, normalize: body.normalize ?? true };
    const vectors = await ctx.batcher.submit({
      key: `${m.name}:embeddings:${options.pooling}:${L}:${options.normalize}`,
      items: rows,
      rows: rows.length,
      length: Math.max(...rows.map((r) => r.inputIds.length)),
      exec: (items) => ctx.engine.embed(m, options, items),
    });
    return vectors.map((v) => truncateDims(v, dims, options.normalize));
  },
};

export const embedAllRoute: RouteDef = {
  method: 'POST',
  url: '/embed_all',
  operationId: 'teiEmbedAll',
  dialect: 'tei',
  summary: "TEI: every token's last-layer vector, special tokens included, as number[][][]",
  body: (o) => teiObject({ inputs: teiInputs(o), ...truncateFields, prompt_name: promptField }, ['inputs']),
  response: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'number' } } } },
  handler: async (ctx, body: Body) => {
    const { m, rows } = rowsOf(ctx, body);
    const H = m.config.hiddenSize;
    const hidden = await ctx.batcher.submit({
      key: `${m.name}:hidden`,
      items: rows,
      rows: rows.length,
      length: Math.max(...rows.map((r) => r.inputIds.length)),
      exec: (items) => ctx.engine.hidden(m, items),
    });
    return hidden.map((flat) => Array.from({ length: flat.length / H }, (_, t) => Array.from(flat.subarray(t * H, (t + 1) * H)))); // [T, H]
  },
};
