// POST /v1/classify: BertForSequenceClassification on single texts or pairs; labels from config id2label.
// Scores follow HF's problem_type (@bertkit/heads classScores): softmax, sigmoid per label, or the raw value.
import { argmax, classScores, problemTypeOf } from '@bertkit/heads';
import { asList, encodeChecked, pairsFor, pickModel, rowOf, truncateOf } from '../context.js';
import { inputSchema, modelField, objectSchema, truncateField, type RouteDef } from './route-def.js';

interface Body {
  model?: string;
  input: string | string[];
  pair?: string | string[];
  truncate?: boolean;
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
      const probs = classScores(l, problem);
      const best = argmax(probs);
      return { index, label: labelOf(best), score: probs[best], scores: probs.map((score, k) => ({ label: labelOf(k), score })), logits: Array.from(l) };
    });
    return { model: m.name, problem_type: problem, data };
  },
};
