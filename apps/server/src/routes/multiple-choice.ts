// POST /v1/multiple-choice: BertForMultipleChoice scores each (context, choice) pair; softmax over the choices
// (paper §4.4, SWAG). Requests with the same number of choices share a batch ([B, C, T]).
import { argmax, softmax } from '@bertkit/heads';
import { encodeChecked, pickModel, rowOf, truncateOf } from '../context.js';
import { modelField, objectSchema, textSchema, truncateField, type RouteDef } from './route-def.js';

interface Body {
  model?: string;
  context: string;
  choices: string[];
  truncate?: boolean;
}

export const multipleChoiceRoute: RouteDef = {
  method: 'POST',
  url: '/v1/multiple-choice',
  summary: 'Pick the most likely continuation of a context among choices',
  body: (o) =>
    objectSchema(
      {
        model: modelField,
        context: textSchema(o, 'The context (first sentence of each pair)'),
        choices: { type: 'array', minItems: 2, maxItems: Math.min(o.maxTexts, 64), items: textSchema(o, 'A candidate ending'), description: 'Candidate endings (2..64)' },
        truncate: truncateField,
      },
      ['context', 'choices'],
    ),
  response: objectSchema({
    model: { type: 'string' },
    choice: { type: 'integer' },
    scores: { type: 'array', items: { type: 'number' } },
    logits: { type: 'array', items: { type: 'number' } },
  }),
  handler: async (ctx, body: Body) => {
    const m = pickModel(ctx, body.model, 'multiple-choice');
    const truncate = truncateOf(ctx, body.truncate);
    const rows = body.choices.map((c, i) => rowOf(encodeChecked(m, body.context, c, `choices[${i}]`, truncate)));
    const [logits] = await ctx.batcher.submit({
      key: `${m.name}:multiple-choice:${rows.length}`,
      items: [rows],
      rows: rows.length,
      length: Math.max(...rows.map((r) => r.inputIds.length)),
      exec: (items) => ctx.engine.logits(m, items),
    });
    const scores = softmax(Array.from(logits));
    return { model: m.name, choice: argmax(scores), scores, logits: Array.from(logits) };
  },
};
