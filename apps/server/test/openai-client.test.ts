// The official `openai` npm client against POST /v1/embeddings: its default request (encoding_format base64,
// decoded by the client), floats, every input form (string, strings, token ids, lists of token ids), dimensions
// and the error shape it parses. Vectors must equal the library's own embedTexts.
import { embedTexts } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import type { BertModel } from '@bertkit/encoder';
import type { BertTokenizer } from '@bertkit/tokenizer';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type BertServer } from '../src/index.js';
import { fixtureModels, modelsMissing } from './fixture-models.js';
import { post } from './http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThan(tol);
}

describe.skipIf(modelsMissing)('the openai client on /v1/embeddings', () => {
  let f: ReturnType<typeof fixtureModels>;
  let server: BertServer;
  let url: string;
  let client: OpenAI;
  let base: { model: BertModel; tokenizer: BertTokenizer };
  const texts = ['the cat sat on the mat', 'a dog', 'where is paris ?'];

  beforeAll(async () => {
    f = fixtureModels(['base']);
    server = await createServer({ backend: 'cpu', models: [{ name: 'base', dir: f.dirs.base }] });
    url = await server.listen(0);
    client = new OpenAI({ apiKey: 'unused', baseURL: `${url}/v1`, maxRetries: 0 });
    const e = await loadBert(f.dirs.base);
    base = { model: e.bert, tokenizer: e.tokenizer };
  });
  afterAll(async () => {
    await server?.close();
    base?.model.dispose();
    f?.cleanup();
  });

  it('default request (base64, little-endian float32) decodes to the library vectors', async () => {
    const r = await client.embeddings.create({ model: 'base', input: texts });
    const want = await embedTexts(base.model, base.tokenizer, texts);
    expect(r.object).toBe('list');
    expect(r.model).toBe('base');
    expect(r.data.map((d) => [d.object, d.index])).toEqual(texts.map((_, i) => ['embedding', i]));
    r.data.forEach((d, i) => close(d.embedding, want[i]));
    const tokens = texts.reduce((a, t) => a + base.tokenizer.encode(t).ids.length, 0);
    expect(r.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
  });

  it('the wire format of the default request is a base64 string of 4 bytes per component', async () => {
    const r = await post<Json>(`${url}/v1/embeddings`, { model: 'base', input: 'a dog', encoding_format: 'base64' });
    expect(r.status).toBe(200);
    const bytes = Buffer.from(r.body.data[0].embedding as string, 'base64');
    expect(bytes.length).toBe(4 * 40);
    const v = Array.from({ length: 40 }, (_, i) => bytes.readFloatLE(i * 4));
    close(v, (await embedTexts(base.model, base.tokenizer, ['a dog']))[0]);
  });

  it('encoding_format float, a single string, and user (ignored)', async () => {
    const r = await client.embeddings.create({ model: 'base', input: 'the cat sat on the mat', encoding_format: 'float', user: 'someone' });
    expect(r.data).toHaveLength(1);
    expect(Array.isArray(r.data[0].embedding)).toBe(true);
    close(r.data[0].embedding, (await embedTexts(base.model, base.tokenizer, ['the cat sat on the mat']))[0]);
  });

  it('token ids (one input) and lists of token ids (a batch) embed as the texts they encode', async () => {
    const ids = texts.map((t) => base.tokenizer.encode(t).ids);
    const want = await embedTexts(base.model, base.tokenizer, texts);
    const one = await client.embeddings.create({ model: 'base', input: ids[0] });
    expect(one.data).toHaveLength(1);
    close(one.data[0].embedding, want[0]);
    expect(one.usage.prompt_tokens).toBe(ids[0].length);
    const many = await client.embeddings.create({ model: 'base', input: ids, encoding_format: 'float' });
    many.data.forEach((d, i) => close(d.embedding, want[i]));
  });

  it("bertkit's pooling / layer / normalize pass through the client's body", async () => {
    const extra = { pooling: 'cls', layer: -2, normalize: true } as const;
    const r = await client.embeddings.create({ model: 'base', input: texts, ...extra } as OpenAI.EmbeddingCreateParams);
    const want = await embedTexts(base.model, base.tokenizer, texts, extra);
    r.data.forEach((d, i) => close(d.embedding, want[i]));
  });

  it('dimensions keeps the first N components (re-normalised with normalize); above the hidden size is a 400 naming dimensions', async () => {
    const r = await client.embeddings.create({ model: 'base', input: 'a dog', dimensions: 8 });
    const full = (await embedTexts(base.model, base.tokenizer, ['a dog']))[0];
    close(r.data[0].embedding, full.slice(0, 8));
    const n = await client.embeddings.create({ model: 'base', input: 'a dog', dimensions: 8, normalize: true } as OpenAI.EmbeddingCreateParams);
    const norm = Math.sqrt(full.slice(0, 8).reduce((a, x) => a + x * x, 0));
    close(n.data[0].embedding, full.slice(0, 8).map((x) => x / norm));
    expect((await client.embeddings.create({ model: 'base', input: 'a dog', dimensions: 40 })).data[0].embedding).toHaveLength(40);
    const err = await client.embeddings.create({ model: 'base', input: 'a dog', dimensions: 41 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.type).toBe('invalid_request_error');
    expect(e.param).toBe('dimensions');
    expect(e.code).toBe('invalid_dimensions');
    expect(e.message).toContain('[1, 40]');
  });

  it('errors reach the client as OpenAI errors: unknown model 404, too-long input 400 input_too_long', async () => {
    const missing = await client.embeddings.create({ model: 'gpt-nope', input: 'a' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).param).toBe('model');
    const long = await client.embeddings.create({ model: 'base', input: ['ok', 'the cat '.repeat(300)] }).catch((e: unknown) => e);
    expect(long).toBeInstanceOf(OpenAI.BadRequestError);
    expect((long as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('input_too_long');
    expect((long as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('input[1]');
  });

  it('an openai client whose baseURL is the server root posts to /embeddings (as TEI serves it)', async () => {
    const root = new OpenAI({ apiKey: 'unused', baseURL: url, maxRetries: 0 });
    const r = await root.embeddings.create({ model: 'base', input: 'a dog' });
    close(r.data[0].embedding, (await embedTexts(base.model, base.tokenizer, ['a dog']))[0]);
  });

  it('rejects mixed lists and out-of-vocabulary ids with the field', async () => {
    const mixed = await post<Json>(`${url}/v1/embeddings`, { input: [5, 'a'] });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error).toMatchObject({ param: 'input[1]', type: 'invalid_request_error' });
    const oov = await post<Json>(`${url}/v1/embeddings`, { input: [[1, 5, 99, 2]] });
    expect(oov.status).toBe(400);
    expect(oov.body.error.param).toBe('input[0][2]');
    const fmt = await post<Json>(`${url}/v1/embeddings`, { input: 'a', encoding_format: 'int8' });
    expect(fmt.status).toBe(400);
    expect(fmt.body.error.param).toBe('encoding_format');
  });
});
