// TEI's POST /predict: sequence (or pair) classification with the checkpoint's labels, sorted by score
// (router/src/http/server.rs `predict`, core/src/infer.rs): softmax over the labels (sigmoid for one label) unless
// `raw_scores`. `inputs`: a string, a pair [a, b] (one input), or a batch [[a], [a, b], ...]. Served by the first
// loaded model with a sequence-classification head (424 when there is none, as TEI for a non-classifier).
import { classScores, type EncodedRow } from '@bertkit/heads';
import { pickModel } from '../../context.js';
import { ApiError } from '../../errors.js';
import type { RouteDef } from '../route-def.js';
import { checkBatch, emptyError, sideOf, teiObject, teiTooLong, truncateFields, truncateOf } from './tei-common.js';

interface Body {
  inputs: string | (string | string[])[];
  truncate?: boolean | null;
  truncation_direction?: string;
  raw_scores?: boolean;
}

const SHAPES = 'a string, a pair of strings [string, string] or a batch of mixed strings and pairs [[string], [string, string], ...]';

/** TEI's PredictInput: the sequences ([a] or [a, b]) and whether the request was a batch. */
function sequences(inputs: Body['inputs']): { seqs: string[][]; batch: boolean } {
  if (typeof inputs === 'string') return { seqs: [[inputs]], batch: false };
  const bad = (msg: string) => new ApiError(422, 'invalid_request', `inputs: ${msg}, expected ${SHAPES}`, 'inputs');
  if (inputs.length === 0) throw bad('invalid length 0');
  if (typeof inputs[0] === 'string') {
    if (inputs.length > 2) throw bad(`invalid length ${inputs.length}`);
    if (inputs.some((x) => typeof x !== 'string')) throw bad('a pair mixes strings and lists');
    return { seqs: [inputs as string[]], batch: false };
  }
  const seqs = inputs.map((x, i) => {
    if (!Array.isArray(x)) throw bad(`inputs[${i}] is a string in a batch of lists`);
    if (x.length < 1 || x.length > 2) throw bad(`inputs[${i}] has invalid length ${x.length}`);
    return x;
  });
  return { seqs, batch: true };
}

export const predictRoute: RouteDef = {
  method: 'POST',
  url: '/predict',
  operationId: 'teiPredict',
  dialect: 'tei',
  summary: 'TEI: sequence (pair) classification, [{score, label}] sorted by score (a list of those for a batch)',
  body: (o) =>
    teiObject(
      {
        inputs: { type: ['string', 'array'], maxLength: o.maxTextChars, items: { type: ['string', 'array'], maxLength: o.maxTextChars, items: { type: 'string', maxLength: o.maxTextChars } }, description: SHAPES },
        ...truncateFields,
        raw_scores: { type: 'boolean', description: 'Logits instead of softmax / sigmoid scores (default false)' },
      },
      ['inputs'],
    ),
  response: { type: 'array', items: { type: ['object', 'array'] }, description: '[{score, label}] for one input, [[{score, label}]] for a batch' },
  handler: async (ctx, body: Body) => {
    const m = pickModel(ctx, undefined, 'classify');
    const { seqs, batch } = sequences(body.inputs);
    if (batch) checkBatch(ctx, seqs.length, 'inputs');
    const truncate = truncateOf(ctx, body.truncate);
    const side = sideOf(body.truncation_direction);
    const rows: EncodedRow[][] = seqs.map((s, i) => {
      if (s.every((t) => t.length === 0)) throw emptyError('inputs');
      const enc = truncate ? m.tokenizer.encode(s[0], s[1] ?? null, { truncation: 'longest_first', maxLength: m.maxTokens, truncationSide: side }) : m.tokenizer.encode(s[0], s[1] ?? null);
      if (enc.ids.length > m.maxTokens) throw teiTooLong(batch ? `inputs[${i}]` : 'inputs', enc.ids.length, m.maxTokens);
      return [{ inputIds: enc.ids, typeIds: enc.typeIds }];
    });
    const logits = await ctx.batcher.submit({
      key: `${m.name}:classify`,
      items: rows,
      rows: rows.length,
      length: Math.max(...rows.map((r) => r[0].inputIds.length)),
      exec: (items) => ctx.engine.logits(m, items),
    });
    const labelOf = (i: number) => m.config.id2label?.[String(i)] ?? `LABEL_${i}`;
    const predictions = logits.map((l) => {
      // TEI: one logit → sigmoid, more → softmax (whatever the config's problem_type)
      const scores = body.raw_scores ? Array.from(l) : classScores(l, l.length === 1 ? 'multi_label_classification' : 'single_label_classification');
      return scores.map((score, i) => ({ score, label: labelOf(i) })).sort((a, b) => b.score - a.score);
    });
    return batch ? predictions : predictions[0];
  },
};
