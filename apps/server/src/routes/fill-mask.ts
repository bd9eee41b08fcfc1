// POST /v1/fill-mask: the top-k tokens at every [MASK] of each input with HF pipeline('fill-mask')'s fields (score,
// token = the id, token_str, sequence; token_id kept as an alias of token), from the checkpoint's masked-LM head (@bertkit/heads fillMaskRows and
// maskCandidates).
import { maskCandidates } from '@bertkit/heads';
import { asList, encodeChecked, pickModel, rowOf, truncateOf } from '../context.js';
import { ApiError } from '../errors.js';
import type { MaskItem } from '../inference.js';
import { inputSchema, modelField, objectSchema, truncateField, type RouteDef } from './route-def.js';

interface Body {
  model?: string;
  input: string | string[];
  top_k?: number;
  truncate?: boolean;
}

export const fillMaskRoute: RouteDef = {
  method: 'POST',
  url: '/v1/fill-mask',
  summary: 'Top-k predictions for each [MASK] token',
  body: (o) =>
    objectSchema({ model: modelField, input: inputSchema(o, 'Texts with at least one mask token each'), top_k: { type: 'integer', minimum: 1, maximum: 100, description: 'Default 5' }, truncate: truncateField }, ['input']),
  response: objectSchema({
    model: { type: 'string' },
    data: {
      type: 'array',
      items: objectSchema({
        index: { type: 'integer' },
        masks: {
          type: 'array',
          items: objectSchema({
            position: { type: 'integer', description: 'Token index of the mask' },
            start: { type: 'integer', description: 'Character offset of the mask in the input' },
            end: { type: 'integer' },
            predictions: { type: 'array', items: objectSchema({ score: { type: 'number' }, token: { type: 'integer', description: 'token id (HF pipeline field)' }, token_str: { type: 'string' }, sequence: { type: 'string' }, token_id: { type: 'integer', description: 'alias of token, kept for older clients' } }) },
          }),
        },
      }),
    },
  }),
  handler: async (ctx, body: Body) => {
    const m = pickModel(ctx, body.model, 'fill-mask');
    const tok = m.tokenizer;
    const mask = tok.maskTokenId;
    const topK = Math.min(body.top_k ?? 5, m.config.vocabSize);
    const truncate = truncateOf(ctx, body.truncate);
    const encs = asList(body.input).map((t, i) => {
      const field = typeof body.input === 'string' ? 'input' : `input[${i}]`;
      const enc = encodeChecked(m, t, null, field, truncate);
      const masks = enc.ids.flatMap((id, p) => (id === mask ? [p] : []));
      if (masks.length === 0) throw new ApiError(400, 'missing_mask', `${field}: expected at least one ${tok.specialTokens.maskToken} token, found none`, field);
      return { enc, item: { ...rowOf(enc), masks, topK } satisfies MaskItem };
    });
    const tops = await ctx.batcher.submit({
      key: `${m.name}:fill-mask`,
      items: encs.map((e) => e.item),
      rows: encs.length,
      length: Math.max(...encs.map((e) => e.enc.ids.length)),
      exec: (items) => ctx.engine.fillMask(m, items),
    });
    const data = encs.map(({ enc, item }, index) => ({
      index,
      masks: maskCandidates(tok, item, tops[index]).map(({ position, candidates }) => ({
        position,
        start: enc.offsets[position][0],
        end: enc.offsets[position][1],
        predictions: candidates.map((c) => ({ score: c.score, token: c.token, token_str: c.token_str, sequence: c.sequence, token_id: c.token })),
      })),
    }));
    return { model: m.name, data };
  },
};
