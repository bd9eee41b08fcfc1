// The TEI-compatible routes (HF text-embeddings-inference's HTTP API) on the fixture checkpoints: shapes,
// defaults, status codes and error bodies as TEI's router answers them, values equal to the library's own, and
// the @huggingface/inference client's feature extraction against the server as an endpointUrl.
import { classify, embedTexts, type BertTaskModel, type LoadedBert } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import type { BertModel } from '@bertkit/encoder';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { InferenceClient } from '@huggingface/inference';
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type BertServer } from '../src/index.js';
import { fixtureModels, modelsMissing } from './fixture-models.js';
import { get, post } from './http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThan(tol);
}

describe.skipIf(modelsMissing)('TEI routes', () => {
  let f: ReturnType<typeof fixtureModels>;
  // emb: [base (with 1_Pooling cls + prompts), seqcls], maxTokens 64, maxTexts 4; cls: [seqcls]; bare: [base]
  const servers: BertServer[] = [];
  let emb: string;
  let cls: string;
  let bare: string;
  let base: { model: BertModel; tokenizer: BertTokenizer };
  let seqcls: BertTaskModel;
  let mlmLoaded: LoadedBert | undefined;
  const texts = ['the cat sat on the mat', 'a dog', 'where is paris ?'];

  beforeAll(async () => {
    f = fixtureModels(['base', 'seqcls', 'mlm']);
    mkdirSync(join(f.dirs.mlm, '1_Pooling'));
    writeFileSync(join(f.dirs.mlm, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: 40, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
    writeFileSync(join(f.dirs.mlm, 'config_sentence_transformers.json'), JSON.stringify({ prompts: { query: 'where is ' } }));
    const start = async (models: [string, string][], extra = {}) => {
      const s = await createServer({ backend: 'cpu', models: models.map(([name, dir]) => ({ name, dir })), ...extra });
      servers.push(s);
      return s.listen(0);
    };
    emb = await start([['st', f.dirs.mlm], ['seqcls', f.dirs.seqcls]], { maxTokens: 64, maxTexts: 4 });
    cls = await start([['seqcls', f.dirs.seqcls]]);
    bare = await start([['base', f.dirs.base]]);
    const e = await loadBert(f.dirs.mlm);
    mlmLoaded = e;
    base = { model: e.bert, tokenizer: e.tokenizer };
    seqcls = (await loadBert(f.dirs.seqcls)).task!;
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    mlmLoaded?.dispose();
    seqcls?.dispose();
    f?.cleanup();
  });

  describe('POST /embed', () => {
    it('a string or a batch → number[][], pooled as 1_Pooling says (cls) and normalised by default', async () => {
      const one = await post<number[][]>(`${emb}/embed`, { inputs: 'a dog' });
      expect(one.status).toBe(200);
      expect(one.headers.get('content-type')).toContain('application/json');
      expect(one.body).toHaveLength(1);
      close(one.body[0], (await embedTexts(base.model, base.tokenizer, ['a dog'], { pooling: 'cls', normalize: true }))[0]);
      const many = await post<number[][]>(`${emb}/embed`, { inputs: texts, normalize: false });
      const want = await embedTexts(base.model, base.tokenizer, texts, { pooling: 'cls' });
      many.body.forEach((v, i) => close(v, want[i]));
    });

    it('a model without 1_Pooling pools with the mean', async () => {
      const r = await post<number[][]>(`${bare}/embed`, { inputs: texts });
      const e = await loadBert(f.dirs.base);
      const want = await embedTexts(e.bert, e.tokenizer, texts, { normalize: true });
      e.dispose();
      r.body.forEach((v, i) => close(v, want[i]));
    });

    it('token ids, a batch mixing texts and ids, prompt_name and dimensions', async () => {
      const ids = base.tokenizer.encode('a dog').ids;
      const want = (await embedTexts(base.model, base.tokenizer, ['a dog', 'the cat sat on the mat'], { pooling: 'cls', normalize: true }));
      close((await post<number[][]>(`${emb}/embed`, { inputs: ids })).body[0], want[0]);
      const mixed = await post<number[][]>(`${emb}/embed`, { inputs: [ids, 'the cat sat on the mat'] });
      close(mixed.body[0], want[0]);
      close(mixed.body[1], want[1]);
      const prompted = await post<number[][]>(`${emb}/embed`, { inputs: 'paris ?', prompt_name: 'query' });
      close(prompted.body[0], (await embedTexts(base.model, base.tokenizer, ['where is paris ?'], { pooling: 'cls', normalize: true }))[0]);
      const short = await post<number[][]>(`${emb}/embed`, { inputs: 'a dog', dimensions: 8 });
      expect(short.body[0]).toHaveLength(8);
      expect(Math.hypot(...short.body[0])).toBeCloseTo(1, 6);
    });

    it('too many tokens: 422 Validation without truncate; truncate cuts at max_input_length from either side', async () => {
      const long = 'the cat sat on the mat '.repeat(20);
      const n = base.tokenizer.encode(long).ids.length;
      const r = await post<Json>(`${emb}/embed`, { inputs: long });
      expect(r.status).toBe(422);
      expect(r.body).toEqual({ error: `Input validation error: \`inputs\` must have less than 64 tokens. Given: ${n}`, error_type: 'Validation' });
      const right = await post<number[][]>(`${emb}/embed`, { inputs: long, truncate: true });
      expect(right.status).toBe(200);
      const cut = base.tokenizer.encode(long, null, { truncation: true, maxLength: 64 }).ids;
      close(right.body[0], (await post<number[][]>(`${emb}/embed`, { inputs: cut })).body[0]);
      const left = await post<number[][]>(`${emb}/embed`, { inputs: `the dog ran home . ${long}`, truncate: true, truncation_direction: 'Left' });
      const leftRight = await post<number[][]>(`${emb}/embed`, { inputs: `the dog ran home . ${long}`, truncate: true, truncation_direction: 'right' });
      expect(left.status).toBe(200);
      expect(left.body[0]).not.toEqual(leftRight.body[0]);
    });

    it('TEI status codes and bodies: 400 Empty, 422 batch size / wrong type / unknown prompt, unknown fields ignored', async () => {
      const cases: [unknown, number, string, RegExp][] = [
        [{ inputs: '' }, 400, 'Empty', /`inputs` cannot be empty/],
        [{ inputs: [] }, 400, 'Empty', /`inputs` cannot be empty/],
        [{ inputs: ['a', 'b', 'c', 'd', 'e'] }, 422, 'Validation', /^batch size 5 > maximum allowed batch size 4$/],
        [{ inputs: 42 }, 422, 'Validation', /inputs/],
        [{}, 422, 'Validation', /inputs/],
        [{ inputs: 'a', prompt_name: 'passage' }, 422, 'Validation', /not found in the Sentence Transformers prompts/],
        [{ inputs: 'a', dimensions: 41 }, 422, 'Validation', /dimensions/],
      ];
      for (const [body, status, type, msg] of cases) {
        const r = await post<Json>(`${emb}/embed`, body);
        expect([r.status, r.body.error_type]).toEqual([status, type]);
        expect(r.body.error).toMatch(msg);
        expect(Object.keys(r.body).sort()).toEqual(['error', 'error_type']);
      }
      expect((await post(`${emb}/embed`, { inputs: 'a', model: 'whatever', extra: 1 })).status).toBe(200);
      const json = await fetch(`${emb}/embed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs": ' });
      expect(json.status).toBe(400);
      expect(await json.json()).toMatchObject({ error_type: 'Validation' });
    });
  });

  it('POST /embed_all → number[][][]: every token (specials included) of the last layer', async () => {
    const r = await post<number[][][]>(`${emb}/embed_all`, { inputs: ['a dog', 'the cat sat'] });
    expect(r.status).toBe(200);
    for (const [i, t] of ['a dog', 'the cat sat'].entries()) {
      const enc = base.tokenizer.encode(t);
      const out = base.model.forward({ inputIds: tf.tensor2d([enc.ids], undefined, 'int32'), attentionMask: tf.tensor2d([enc.attentionMask], undefined, 'int32') });
      const want = (await out.sequenceOutput.array()) as number[][][];
      tf.dispose(Object.values(out).filter((x): x is tf.Tensor => x instanceof tf.Tensor));
      expect(r.body[i]).toHaveLength(enc.ids.length);
      r.body[i].forEach((v, k) => close(v, want[0][k], 1e-5));
    }
  });

  describe('POST /predict', () => {
    it('a string → [{score, label}] sorted; a pair [a, b]; a batch [[a], [a, b]] → one list per input', async () => {
      const one = await post<Json[]>(`${cls}/predict`, { inputs: 'good movie' });
      expect(one.status).toBe(200);
      const want = (await classify(seqcls, base.tokenizer, ['good movie', ['bad movie', 'it was good']]));
      expect(one.body.map((p) => p.label)).toEqual(Object.entries(want[0].scores).sort((a, b) => b[1] - a[1]).map(([l]) => l));
      for (const p of one.body) expect(p.score).toBeCloseTo(want[0].scores[p.label], 6);
      const pair = await post<Json[]>(`${cls}/predict`, { inputs: ['bad movie', 'it was good'] });
      for (const p of pair.body) expect(p.score).toBeCloseTo(want[1].scores[p.label], 6);
      const batch = await post<Json[][]>(`${cls}/predict`, { inputs: [['good movie'], ['bad movie', 'it was good']] });
      expect(batch.body).toHaveLength(2);
      expect(batch.body[1]).toEqual(pair.body);
    });

    it('raw_scores: the logits, still sorted; errors as TEI', async () => {
      const raw = await post<Json[]>(`${cls}/predict`, { inputs: 'good movie', raw_scores: true });
      const soft = await post<Json[]>(`${cls}/predict`, { inputs: 'good movie' });
      expect(raw.body.map((p) => p.label)).toEqual(soft.body.map((p) => p.label));
      expect(raw.body.reduce((a, p) => a + p.score, 0)).not.toBeCloseTo(1, 3);
      const three = await post<Json>(`${cls}/predict`, { inputs: ['a', 'b', 'c'] });
      expect([three.status, three.body.error_type]).toEqual([422, 'Validation']);
      const none = await post<Json>(`${bare}/predict`, { inputs: 'good movie' });
      expect([none.status, none.body.error_type]).toEqual([424, 'Backend']);
    });
  });

  it('POST /tokenize → [[{id, text, special, start, stop}]] with UTF-8 byte offsets; prompt_name prepends', async () => {
    const text = 'Café, paris!';
    const r = await post<Json[][]>(`${emb}/tokenize`, { inputs: text });
    expect(r.status).toBe(200);
    const enc = base.tokenizer.encode(text);
    expect(r.body).toHaveLength(1);
    expect(r.body[0].map((t) => t.id)).toEqual(enc.ids);
    expect(r.body[0][0]).toEqual({ id: enc.ids[0], text: '[CLS]', special: true, start: null, stop: null });
    const bytes = Buffer.from(text);
    for (const t of r.body[0].filter((x) => !x.special)) expect(bytes.subarray(t.start, t.stop).toString()).toBe(t.text);
    expect(r.body[0].at(-2)).toMatchObject({ text: '!', start: 12, stop: 13 }); // 'é' is two bytes
    const plain = await post<Json[][]>(`${emb}/tokenize`, { inputs: ['a dog', 'the cat'], add_special_tokens: false });
    expect(plain.body.map((l) => l.map((t) => t.text))).toEqual([['a', 'dog'], ['the', 'cat']]);
    const prompted = await post<Json[][]>(`${emb}/tokenize`, { inputs: 'paris', prompt_name: 'query' });
    expect(prompted.body[0].map((t) => t.text)).toEqual(['[CLS]', 'where', 'is', 'paris', '[SEP]']);
  });

  it('POST /decode → one string per id list; skip_special_tokens defaults to true; empty ids 400', async () => {
    const ids = base.tokenizer.encode('paris , france !').ids;
    const r = await post<string[]>(`${emb}/decode`, { ids });
    expect(r.body).toEqual([base.tokenizer.decode(ids, { skipSpecialTokens: true })]);
    expect(r.body[0]).not.toContain('[CLS]');
    const keep = await post<string[]>(`${emb}/decode`, { ids: [ids, ids.slice(1, 3)], skip_special_tokens: false });
    expect(keep.body).toHaveLength(2);
    expect(keep.body[0]).toContain('[CLS]');
    const empty = await post<Json>(`${emb}/decode`, { ids: [] });
    expect([empty.status, empty.body.error_type]).toEqual([400, 'Empty']);
  });

  it('GET /info describes the served (first) model; GET /health is 200 with an empty body', async () => {
    const info = (await get<Json>(`${emb}/info`)).body;
    expect(info).toMatchObject({
      model_id: 'st',
      model_dtype: 'float32',
      model_type: { embedding: { pooling: 'cls' } },
      max_input_length: 64,
      max_client_batch_size: 4,
      max_batch_tokens: 8192,
      max_concurrent_requests: 256,
      tokenization_workers: 1,
      version: expect.any(String),
    });
    expect(info).toHaveProperty('model_sha', null);
    const ci = (await get<Json>(`${cls}/info`)).body;
    expect(ci.model_type).toEqual({ classifier: { id2label: { 0: 'LABEL_0', 1: 'LABEL_1', 2: 'LABEL_2' }, label2id: { LABEL_0: 0, LABEL_1: 1, LABEL_2: 2 } } });
    const h = await fetch(`${emb}/health`);
    expect(h.status).toBe(200);
    expect(await h.text()).toBe('');
  });

  it('POST / is /embed for an embedding model and /predict for a classifier', async () => {
    const a = await post<number[][]>(`${emb}/`, { inputs: ['a dog'] });
    expect(a.body).toEqual((await post<number[][]>(`${emb}/embed`, { inputs: ['a dog'] })).body);
    const b = await post<Json[]>(`${cls}/`, { inputs: 'good movie' });
    expect(b.body).toEqual((await post<Json[]>(`${cls}/predict`, { inputs: 'good movie' })).body);
  });

  it('@huggingface/inference featureExtraction with endpointUrl (the server root, or /embed) gets the vectors', async () => {
    const hf = new InferenceClient();
    const want = await embedTexts(base.model, base.tokenizer, texts, { pooling: 'cls', normalize: true });
    for (const endpointUrl of [emb, `${emb}/embed`]) {
      const out = (await hf.featureExtraction({ endpointUrl, inputs: texts })) as number[][];
      expect(out).toHaveLength(3);
      out.forEach((v, i) => close(v, want[i]));
    }
    const one = (await hf.endpoint(emb).featureExtraction({ inputs: 'a dog', normalize: false })) as number[][];
    close(one[0], (await embedTexts(base.model, base.tokenizer, ['a dog'], { pooling: 'cls' }))[0]);
    await expect(hf.featureExtraction({ endpointUrl: emb, inputs: 'the cat sat on the mat '.repeat(20) })).rejects.toThrow(/must have less than 64 tokens/);
  });

  it('with an API key the TEI inference routes and /info need it; /health stays open', async () => {
    const url = await (async () => {
      const s = await createServer({ backend: 'cpu', models: [{ name: 'base', dir: f.dirs.base }], apiKey: 's3cret' });
      servers.push(s);
      return s.listen(0);
    })();
    for (const p of ['/embed', '/embed_all', '/predict', '/tokenize', '/decode', '/']) {
      const r = await post<Json>(`${url}${p}`, { inputs: 'a', ids: [1] });
      expect([p, r.status, r.body.error_type]).toEqual([p, 401, 'Validation']);
    }
    expect((await get(`${url}/info`)).status).toBe(401);
    expect((await get(`${url}/info`, { authorization: 'Bearer s3cret' })).status).toBe(200);
    expect((await post(`${url}/embed`, { inputs: 'a' }, { authorization: 'Bearer s3cret' })).status).toBe(200);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });
});
