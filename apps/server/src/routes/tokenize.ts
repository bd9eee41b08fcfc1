// POST /v1/tokenize: WordPiece ids, tokens and [start, end) character offsets (UTF-16 units) per input.
import { asList, encodeChecked, pairsFor, pickModel, truncateOf } from '../context.js';
import { inputSchema, modelField, objectSchema, truncateField, type RouteDef } from './route-def.js';

interface Body {
  model?: string;
  input: string | string[];
  pair?: string | string[];
  add_special_tokens?: boolean;
  truncate?: boolean;
}

export const tokenizeRoute: RouteDef = {
  method: 'POST',
  url: '/v1/tokenize',
  summary: 'Tokenize texts (or pairs) into ids, tokens and character offsets',
  body: (o) =>
    objectSchema(
      {
        model: modelField,
        input: inputSchema(o, 'Texts to tokenize'),
        pair: inputSchema(o, 'Second sequence per input'),
        add_special_tokens: { type: 'boolean', description: 'Add [CLS]/[SEP] (default true)' },
        truncate: truncateField,
      },
      ['input'],
    ),
  response: objectSchema({
    model: { type: 'string' },
    data: {
      type: 'array',
      items: objectSchema({
        index: { type: 'integer' },
        ids: { type: 'array', items: { type: 'integer' } },
        tokens: { type: 'array', items: { type: 'string' } },
        type_ids: { type: 'array', items: { type: 'integer' } },
        offsets: { type: 'array', items: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 } },
      }),
    },
    usage: objectSchema({ total_tokens: { type: 'integer' } }),
  }),
  handler: async (ctx, body: Body) => {
    const m = pickModel(ctx, body.model, 'tokenize');
    const texts = asList(body.input);
    const pairs = pairsFor(texts, body.pair, 'pair');
    const addSpecial = body.add_special_tokens ?? true;
    const truncate = truncateOf(ctx, body.truncate);
    let total = 0;
    const data = texts.map((t, i) => {
      const field = typeof body.input === 'string' ? 'input' : `input[${i}]`;
      const enc = addSpecial ? encodeChecked(m, t, pairs[i], field, truncate) : m.tokenizer.encode(t, pairs[i], { addSpecialTokens: false });
      total += enc.ids.length;
      return { index: i, ids: enc.ids, tokens: enc.tokens, type_ids: enc.typeIds, offsets: enc.offsets };
    });
    return { model: m.name, data, usage: { total_tokens: total } };
  },
};
