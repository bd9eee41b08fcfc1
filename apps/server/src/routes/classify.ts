// POST /v1/classify: BertForSequenceClassification on single texts or pairs; labels from config id2label.
// Scores follow HF's problem_type: softmax (single-label), sigmoid (multi-label), the raw value (regression).
import { problemTypeOf } from '@bertkit/heads';
import { asList, encodeChecked, pairsFor, pickModel, rowOf, truncateOf } from '../context.js';
import { inputSchema, modelField, objectSchema, truncateField, type RouteDef } from './route-def.js';

interface Body {
  model?: string;
  input: string | string[];
  pair?: string | string[];
  truncate?: boolean;
}

export function softmax(x: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(x));
  const e = Array.from(x, (v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export const classifyRoute: RouteDef = {
  method: 'POST',
  url: '/v1/classify',
  summary: 'Sequence (or pair) classification with the labels of the checkpoint',
  body: (o) => objectSchema({ model: modelField, input: inputSchema(o, 'Texts to classify'), pair: inputSchema(o, 'Second sentence per input (pair tasks)'), truncate: truncateField }, ['input']),
  response: objectSchema({
    model: { type: 'string' },
    problem_type: { type: 'string' },
    data: {
      type: 'array',
      items: objectSchema({
        index: { type: 'integer' },
        label: { type: 'string' },
        score: { type: 'number' },
        scores: { type: 'array', items: objectSchema({ label: { type: 'string' }, score: { type: 'number' } }) },
        logits: { type: 'array', items: { type: 'number' } },
      }),
    },
  }),
  handler: async (ctx, body: Body) => {
    const m = pickModel(ctx, body.model, 'classify');
    const texts = asList(body.input);
    const pairs = pairsFor(texts, body.pair, 'pair');
    const truncate = truncateOf(ctx, body.truncate);
    const rows = texts.map((t, i) => [rowOf(encodeChecked(m, t, pairs[i], typeof body.input === 'string' ? 'input' : `input[${i}]`, truncate))]);
    const logits = await ctx.batcher.submit({
      key: `${m.name}:classify`,
      items: rows,
      rows: rows.length,
      length: Math.max(...rows.map((r) => r[0].inputIds.length)),
      exec: (items) => ctx.engine.logits(m, items),
    });
    const problem = problemTypeOf(m.config);
    const labelOf = (i: number) => m.config.id2label?.[String(i)] ?? `LABEL_${i}`;
    const data = logits.map((l, index) => {
      const probs = problem === 'single_label_classification' ? softmax(l) : problem === 'multi_label_classification' ? Array.from(l, (v) => 1 / (1 + Math.exp(-v))) : Array.from(l);
      let best = 0;
      for (let k = 1; k < probs.length; k++) if (probs[k] > probs[best]) best = k;
      return { index, label: labelOf(best), score: probs[best], scores: probs.map((score, k) => ({ label: labelOf(k), score })), logits: Array.from(l) };
    });
    return { model: m.name, problem_type: problem, data };
  },
};
