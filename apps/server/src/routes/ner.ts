// POST /v1/ner: token classification (BertForTokenClassification) as entities with character offsets. Words are
// merged from their sub-tokens as HF's pipeline with aggregation_strategy="first" (the first sub-token's label and
// score), then adjacent words join one entity per IOB rules (B-X starts one, I-X / X continue a run of X); "O"
// words are dropped.
import { asList, encodeChecked, pickModel, rowOf, truncateOf } from '../context.js';
import { softmax } from './classify.js';
import { inputSchema, modelField, objectSchema, truncateField, type RouteDef } from './route-def.js';
import type { Encoding } from '@bertkit/tokenizer';

interface Body {
  model?: string;
  input: string | string[];
  truncate?: boolean;
}

export interface Entity {
  entity_group: string;
  word: string;
  start: number;
  end: number;
  score: number;
}

interface Word {
  label: string;
  score: number;
  start: number;
  end: number;
}

/** Words of one encoding with the label of their first sub-token (logits [T, K] row-major). */
export function wordLabels(enc: Encoding, logits: ArrayLike<number>, labels: (k: number) => string): Word[] {
  const K = logits.length / enc.ids.length;
  const words = new Map<number, Word>();
  enc.wordIds.forEach((w, t) => {
    if (w === null) return;
    const [s, e] = enc.offsets[t];
    const known = words.get(w);
    if (known) {
      known.end = Math.max(known.end, e);
      return;
    }
    const probs = softmax(Array.from({ length: K }, (_, k) => logits[t * K + k]));
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[k] > probs[best]) best = k;
    words.set(w, { label: labels(best), score: probs[best], start: s, end: e });
  });
  return [...words.values()];
}

/** IOB grouping of labelled words into entities (HF `group_entities`). */
export function groupEntities(text: string, words: Word[]): Entity[] {
  const out: (Entity & { n: number })[] = [];
  let prev: string | null = null;
  for (const w of words) {
    if (w.label === 'O') {
      prev = null;
      continue;
    }
    const bio = /^([BI])-(.+)$/.exec(w.label);
    const type = bio ? bio[2] : w.label;
    const begins = bio?.[1] === 'B';
    const last = out[out.length - 1];
    if (!begins && prev === type && last) {
      last.end = w.end;
      last.score = (last.score * last.n + w.score) / (last.n + 1);
      last.n++;
      last.word = text.slice(last.start, last.end);
    } else out.push({ entity_group: type, word: text.slice(w.start, w.end), start: w.start, end: w.end, score: w.score, n: 1 });
    prev = type;
  }
  return out.map(({ n: _n, ...e }) => e);
}

export const nerRoute: RouteDef = {
  method: 'POST',
  url: '/v1/ner',
  summary: 'Named entities (token classification) with character offsets, words merged from sub-tokens',
  body: (o) => objectSchema({ model: modelField, input: inputSchema(o, 'Texts to tag'), truncate: truncateField }, ['input']),
  response: objectSchema({
    model: { type: 'string' },
    data: {
      type: 'array',
      items: objectSchema({
        index: { type: 'integer' },
        entities: { type: 'array', items: objectSchema({ entity_group: { type: 'string' }, word: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, score: { type: 'number' } }) },
        words: { type: 'array', description: "Every word with its first sub-token's label", items: objectSchema({ word: { type: 'string' }, label: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, score: { type: 'number' } }) },
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
      const words = wordLabels(e, logits[index], labelOf);
      const text = texts[index];
      return { index, entities: groupEntities(text, words), words: words.map((w) => ({ word: text.slice(w.start, w.end), ...w })) };
    });
    return { model: m.name, data };
  },
};
