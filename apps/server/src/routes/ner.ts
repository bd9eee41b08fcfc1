// POST /v1/ner: token classification (BertForTokenClassification) as entities with character offsets, as HF's
// pipeline('token-classification') with an `aggregation_strategy` (default "first": a word takes its first
// sub-token's label and score). Words come from the tokenizer's word ids and are grouped into entities by IOB
// rules; both steps are @bertkit/heads' (labelWords, groupEntities). "O" words are dropped from `entities`.
import { AGGREGATION_STRATEGIES, groupEntities, labelWords, type AggregationStrategy } from '@bertkit/heads';
import { asList, encodeChecked, pickModel, rowOf, truncateOf } from '../context.js';
import { inputSchema, modelField, objectSchema, truncateField, type RouteDef } from './route-def.js';

interface Body {
  model?: string;
  input: string | string[];
  aggregation_strategy?: AggregationStrategy;
  truncate?: boolean;
}

export const nerRoute: RouteDef = {
  method: 'POST',
  url: '/v1/ner',
  summary: 'Named entities (token classification) with character offsets, words merged from sub-tokens',
  body: (o) =>
    objectSchema(
      {
        model: modelField,
        input: inputSchema(o, 'Texts to tag'),
        aggregation_strategy: {
          type: 'string',
          enum: [...AGGREGATION_STRATEGIES],
          description: "HF's: first (default; a word's first sub-token), average, max (per word) or simple (per token)",
        },
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
        entities: { type: 'array', items: objectSchema({ entity_group: { type: 'string' }, word: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, score: { type: 'number' } }) },
        words: {
          type: 'array',
          description: 'Every word (every token with simple) with its label',
          items: objectSchema({ word: { type: 'string' }, label: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, score: { type: 'number' } }),
        },
      }),
    },
  }),
  handler: async (ctx, body: Body) => {
    const m = pickModel(ctx, body.model, 'ner');
    const texts = asList(body.input);
    const truncate = truncateOf(ctx, body.truncate);
    const encs = texts.map((t, i) => encodeChecked(m, t, null, typeof body.input === 'string' ? 'input' : `input[${i}]`, truncate));
    const rows = encs.map((e) => [rowOf(e)]);
    const logits = await ctx.batcher.submit({
      key: `${m.name}:ner`,
      items: rows,
      rows: rows.length,
      length: Math.max(...encs.map((e) => e.ids.length)),
      exec: (items) => ctx.engine.logits(m, items),
    });
    const labelOf = (k: number) => m.config.id2label?.[String(k)] ?? `LABEL_${k}`;
    const data = encs.map((e, index) => {
      const labels = Array.from({ length: logits[index].length / e.ids.length }, (_, k) => labelOf(k)); // logits [T, K]
      const words = labelWords(e, logits[index], labels, body.aggregation_strategy ?? 'first');
      const text = texts[index];
      return { index, entities: groupEntities(text, words), words: words.map((w) => ({ word: text.slice(w.start, w.end), ...w })) };
    });
    return { model: m.name, data };
  },
};
