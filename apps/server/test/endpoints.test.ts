// Every endpoint over HTTP on the fixture checkpoints (../shared/fixtures/encoder/models/odd, vocab.txt written by
// fixture-models.ts), compared with the library's own predictions for the same inputs.
import { classify, chooseEnding, answerQuestion, embedTexts, fillMask, maskedLmOf, tagWords, type BertTaskModel, type LoadedBert } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type BertServer } from '../src/index.js';
import { fixtureModels, modelsMissing } from './fixture-models.js';
import { get, post } from './http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function close(a: number[], b: number[], tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThan(tol));
}

describe.skipIf(modelsMissing)('endpoints on the fixture checkpoints', () => {
  let f: ReturnType<typeof fixtureModels>;
  let server: BertServer;
  let url: string;
  let tok: BertTokenizer;
  const tasks: Record<string, BertTaskModel> = {};
  const loaded: LoadedBert[] = [];
  let mlm: LoadedBert;
  let base: LoadedBert;
  const load = async (dir: string) => {
    const m = await loadBert(dir);
    loaded.push(m);
    return m;
  };

  beforeAll(async () => {
    f = fixtureModels(['base', 'mlm', 'seqcls', 'qa', 'tokcls', 'mc']);
    server = await createServer({ backend: 'cpu', models: Object.entries(f.dirs).map(([name, dir]) => ({ name, dir })), maxWaitMs: 2 });
    url = await server.listen(0);
    tok = await loadTokenizer(f.dirs.base);
    for (const k of ['seqcls', 'qa', 'tokcls', 'mc']) tasks[k] = (await load(f.dirs[k])).task!;
    mlm = await load(f.dirs.mlm);
    base = await load(f.dirs.base);
  });
  afterAll(async () => {
    await server?.close();
    for (const m of loaded) m.dispose();
    f?.cleanup();
  });

  it('GET /v1/models lists each model with the operations its checkpoint serves', async () => {
    const r = await get<Json>(`${url}/v1/models`);
    expect(r.status).toBe(200);
    const ops = Object.fromEntries(r.body.data.map((m: Json) => [m.id, m.operations]));
    expect(ops).toEqual({
      base: ['tokenize', 'embeddings'],
      mlm: ['tokenize', 'embeddings', 'fill-mask'],
      seqcls: ['tokenize', 'embeddings', 'classify'],
      qa: ['tokenize', 'embeddings', 'qa'],
      tokcls: ['tokenize', 'embeddings', 'ner'],
      mc: ['tokenize', 'embeddings', 'multiple-choice'],
    });
    expect(r.body.data[0]).toMatchObject({ vocab_size: 99, max_tokens: 512 });
  });

  it('health, readiness and metrics', async () => {
    expect((await get(`${url}/healthz`)).body).toEqual({ status: 'ok' });
    expect((await get<Json>(`${url}/readyz`)).body).toMatchObject({ status: 'ready', backend: 'cpu' });
    await post(`${url}/v1/embeddings`, { model: 'base', input: 'the cat' });
    const m = await get<string>(`${url}/metrics`);
    expect(m.headers.get('content-type')).toContain('text/plain');
    expect(m.body).toContain('bert_requests_total{method="POST",route="/v1/embeddings",status="200"}');
    expect(m.body).toMatch(/bert_request_duration_seconds_bucket\{route="\/v1\/embeddings",le="0.001"\} \d+/);
    expect(m.body).toMatch(/bert_batch_size_count \d+/);
    expect(m.body).toMatch(/bert_tokens_total\{model="base"\} \d+/);
    expect(m.body).toContain('bert_queue_depth 0');
  });

  it('POST /v1/tokenize returns the tokenizer encoding, pairs included', async () => {
    const r = await post<Json>(`${url}/v1/tokenize`, { input: ['the cat sat', 'Paris, France!'], pair: ['on the mat', 'john'] });
    expect(r.status).toBe(200);
    const e = tok.encode('Paris, France!', 'john');
    expect(r.body.data[1]).toEqual({ index: 1, ids: e.ids, tokens: e.tokens, type_ids: e.typeIds, offsets: e.offsets });
    expect(r.body.data[0].tokens).toEqual(['[CLS]', 'the', 'cat', 'sat', '[SEP]', 'on', 'the', 'mat', '[SEP]']);
    expect(r.body.data[1].offsets.slice(1, 4)).toEqual([[0, 5], [5, 6], [7, 13]]);
  });

  it('POST /v1/embeddings equals embedTexts (mean, cls, a middle layer), OpenAI-shaped', async () => {
    const texts = ['the cat sat on the mat', 'a dog', 'where is paris ?'];
    for (const opts of [{}, { pooling: 'cls' as const }, { pooling: 'mean' as const, layer: 1 }, { pooling: 'cls' as const, layer: -2, normalize: true }]) {
      const r = await post<Json>(`${url}/v1/embeddings`, { model: 'base', input: texts, ...opts });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ object: 'list', model: 'base' });
      const want = await embedTexts(base.bert, base.tokenizer, texts, opts);
      r.body.data.forEach((d: Json, i: number) => {
        expect(d).toMatchObject({ object: 'embedding', index: i });
        close(d.embedding, want[i]);
      });
      const tokens = texts.reduce((a, t) => a + tok.encode(t).ids.length, 0);
      expect(r.body.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
    }
  });

  it('POST /v1/fill-mask equals heads fillMask at every [MASK]', async () => {
    const texts = ['the cat [MASK] on the mat', '[MASK] lives in [MASK] .'];
    const r = await post<Json>(`${url}/v1/fill-mask`, { model: 'mlm', input: texts, top_k: 4 });
    expect(r.status).toBe(200);
    for (const [i, t] of texts.entries()) {
      const want = await fillMask(maskedLmOf(mlm), mlm.tokenizer, t, { topK: 4 });
      const got = r.body.data[i].masks;
      expect(got.map((m: Json) => m.position)).toEqual(want.map((w) => w.position));
      got.forEach((m: Json, j: number) => {
        expect(m.predictions.map((p: Json) => p.token)).toEqual(want[j].candidates.map((c) => c.token));
        expect(m.predictions.map((p: Json) => p.token_id)).toEqual(want[j].candidates.map((c) => c.token));
        expect(m.predictions.map((p: Json) => p.token_str)).toEqual(want[j].candidates.map((c) => c.token_str));
        close(m.predictions.map((p: Json) => p.score), want[j].candidates.map((c) => c.score), 1e-5);
        expect(m.predictions.map((p: Json) => p.sequence)).toEqual(want[j].candidates.map((c) => c.sequence));
        expect(t.slice(m.start, m.end)).toBe('[MASK]');
      });
    }
  });

  it('POST /v1/classify equals heads classify, single texts and pairs, labels from id2label', async () => {
    const r = await post<Json>(`${url}/v1/classify`, { model: 'seqcls', input: ['good movie', 'bad movie .'], pair: ['it was good', 'he ran'] });
    expect(r.status).toBe(200);
    const want = await classify(tasks.seqcls, tok, [['good movie', 'it was good'], ['bad movie .', 'he ran']]);
    r.body.data.forEach((d: Json, i: number) => {
      expect(d.label).toBe(want[i].label);
      expect(d.score).toBeCloseTo(want[i].score, 5);
      for (const s of d.scores) expect(s.score).toBeCloseTo(want[i].scores[s.label], 5);
    });
    expect(r.body.data[0].scores.map((s: Json) => s.label)).toEqual(['LABEL_0', 'LABEL_1', 'LABEL_2']);
  });

  it('POST /v1/qa equals heads answerQuestion; offsets index the context; long contexts are windowed', async () => {
    const question = 'where does john live ?';
    const context = 'john lives in berlin . she went to paris , the capital of france . the cat sat on the mat in the park and the dog ran home . it was a good city .';
    for (const opts of [{}, { max_seq_length: 32, max_query_length: 8, doc_stride: 8 }]) {
      const r = await post<Json>(`${url}/v1/qa`, { model: 'qa', question, context, top_k: 3, ...opts });
      expect(r.status).toBe(200);
      const want = await answerQuestion(tasks.qa, tok, question, context, opts.max_seq_length ? ({ maxSeqLength: 32, docStride: 8, maxQueryLength: 8 } as { maxSeqLength: number }) : {});
      expect(r.body.answer.text).toBe(want.answer);
      expect(r.body.answer.score).toBeCloseTo(want.score, 5);
      expect(context.slice(r.body.answer.start, r.body.answer.end)).toBe(want.answer);
      if (opts.max_seq_length) expect(r.body.windows).toBeGreaterThan(1);
      else expect(r.body.windows).toBe(1);
    }
    const v2 = await post<Json>(`${url}/v1/qa`, { model: 'qa', question, context, allow_no_answer: true });
    const want2 = await answerQuestion(tasks.qa, tok, question, context, { version2WithNegative: true });
    expect(v2.body.no_answer).toBe(want2.answer === '');
    expect(v2.body.answer === null ? '' : v2.body.answer.text).toBe(want2.answer);
    expect(typeof v2.body.score_diff).toBe('number');
  });

  it('POST /v1/ner labels words as heads tagWords (first sub-token) and merges sub-tokens into words', async () => {
    const text = 'john lives in berlin and went to paris';
    const r = await post<Json>(`${url}/v1/ner`, { model: 'tokcls', input: [text, 'xyzzy'] });
    expect(r.status).toBe(200);
    const [want] = await tagWords(tasks.tokcls, tok, [text.split(' ')]);
    expect(r.body.data[0].words.map((w: Json) => [w.word, w.label])).toEqual(want.map((w) => [w.word, w.label]));
    // 'xyzzy' is five WordPiece tokens (x ##y ##z ##z ##y) but one word
    expect(r.body.data[1].words).toHaveLength(1);
    expect(r.body.data[1].words[0]).toMatchObject({ word: 'xyzzy', start: 0, end: 5 });
    for (const e of r.body.data[0].entities) expect(text.slice(e.start, e.end)).toBe(e.word);
  });

  it('POST /v1/multiple-choice equals heads chooseEnding', async () => {
    const context = 'the cat sat';
    const choices = ['on the mat', 'in paris', 'and ran home .'];
    const r = await post<Json>(`${url}/v1/multiple-choice`, { model: 'mc', context, choices });
    expect(r.status).toBe(200);
    const want = await chooseEnding(tasks.mc, tok, context, choices);
    expect(r.body.choice).toBe(want.choice);
    close(r.body.scores, want.scores, 1e-5);
  });

  it('a route for an operation the model lacks is a 400 naming the model', async () => {
    const r = await post<Json>(`${url}/v1/qa`, { model: 'base', question: 'who ?', context: 'john' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'unsupported_operation', field: 'model' });
  });

  it('concurrent requests (batched together) get the same answers as one at a time', async () => {
    const texts = Array.from({ length: 24 }, (_, i) => `the cat sat on ${'the mat '.repeat(i % 5)}`.trim());
    const one = await Promise.all(texts.map((t) => post<Json>(`${url}/v1/classify`, { model: 'seqcls', input: t })));
    const want = await classify(tasks.seqcls, tok, texts);
    one.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.body.data[0].label).toBe(want[i].label);
      expect(r.body.data[0].score).toBeCloseTo(want[i].score, 5);
    });
  });

  it('leaks no tensors: /metrics tfjs_tensors is unchanged after a round of every endpoint', async () => {
    const tensors = async () => Number(/^tfjs_tensors (\d+)$/m.exec((await get<string>(`${url}/metrics`)).body)![1]);
    const round = () =>
      Promise.all([
        post(`${url}/v1/embeddings`, { model: 'base', input: ['the cat', 'a dog sat'], layer: 1 }),
        post(`${url}/v1/fill-mask`, { model: 'mlm', input: 'the [MASK] sat' }),
        post(`${url}/v1/classify`, { model: 'seqcls', input: 'good' }),
        post(`${url}/v1/qa`, { model: 'qa', question: 'who ?', context: 'john lives in paris' }),
        post(`${url}/v1/ner`, { model: 'tokcls', input: 'john lives' }),
        post(`${url}/v1/multiple-choice`, { model: 'mc', context: 'the cat', choices: ['sat', 'ran'] }),
      ]);
    await round();
    const before = await tensors();
    await round();
    await round();
    expect(await tensors()).toBe(before);
  });
});
