// The bad-input suite: each malformed request gets the documented 4xx `{error: {code, message, field}}` and the
// server keeps serving (a valid request and /healthz succeed after each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type BertServer } from '../src/index.js';
import { fixtureModels, modelsMissing } from './fixture-models.js';
import { get, post } from './http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(modelsMissing)('bad input', () => {
  let f: ReturnType<typeof fixtureModels>;
  let server: BertServer;
  let url: string;

  beforeAll(async () => {
    f = fixtureModels(['base', 'mlm']);
    server = await createServer({ backend: 'cpu', models: [{ name: 'base', dir: f.dirs.base }, { name: 'mlm', dir: f.dirs.mlm }], maxTokens: 64 });
    url = await server.listen(0);
  });
  afterAll(async () => {
    await server?.close();
    f?.cleanup();
  });

  async function raw(path: string, body: string | Uint8Array, contentType = 'application/json') {
    const r = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: body as unknown as BodyInit });
    return { status: r.status, headers: r.headers, body: (await r.json()) as Json };
  }

  const cases: { name: string; send: () => Promise<{ status: number; body: Json }>; status: number; code: string; field?: string | null }[] = [
    { name: 'malformed JSON', send: () => raw('/v1/embeddings', '{"input": "the cat'), status: 400, code: 'invalid_json', field: null },
    { name: 'an empty body', send: () => raw('/v1/embeddings', ''), status: 400, code: 'invalid_json' },
    { name: 'a JSON array instead of an object', send: () => raw('/v1/embeddings', '["the cat"]'), status: 400, code: 'invalid_request' },
    { name: 'input of the wrong type', send: () => post(`${url}/v1/embeddings`, { input: 42 }), status: 400, code: 'invalid_request', field: 'input' },
    { name: 'a list with a number in it', send: () => post(`${url}/v1/embeddings`, { input: ['ok', 7] }), status: 400, code: 'invalid_request', field: 'input[1]' },
    { name: 'top_k of the wrong type', send: () => post(`${url}/v1/fill-mask`, { input: 'a [MASK]', top_k: '5' }), status: 400, code: 'invalid_request', field: 'top_k' },
    { name: 'an empty string', send: () => post(`${url}/v1/embeddings`, { input: '' }), status: 400, code: 'invalid_request', field: 'input' },
    { name: 'an empty string in a list', send: () => post(`${url}/v1/tokenize`, { input: ['a', ''] }), status: 400, code: 'invalid_request', field: 'input[1]' },
    { name: 'an empty list', send: () => post(`${url}/v1/embeddings`, { input: [] }), status: 400, code: 'invalid_request', field: 'input' },
    { name: 'a missing required field', send: () => post(`${url}/v1/embeddings`, { model: 'base' }), status: 400, code: 'invalid_request', field: 'input' },
    { name: 'an unknown field', send: () => post(`${url}/v1/embeddings`, { input: 'a', inptu: 'b' }), status: 400, code: 'invalid_request', field: 'inptu' },
    { name: 'a bad enum value', send: () => post(`${url}/v1/embeddings`, { input: 'a', pooling: 'max' }), status: 400, code: 'invalid_request', field: 'pooling' },
    { name: 'a layer out of range', send: () => post(`${url}/v1/embeddings`, { input: 'a', layer: 9 }), status: 400, code: 'invalid_request', field: 'layer' },
    { name: 'a 1 MB text', send: () => post(`${url}/v1/embeddings`, { input: 'the cat '.repeat(131072) }), status: 400, code: 'invalid_request', field: 'input' },
    { name: 'a 3 MB body', send: () => post(`${url}/v1/embeddings`, { input: Array.from({ length: 40 }, () => 'x'.repeat(75_000)) }), status: 413, code: 'body_too_large' },
    { name: 'more tokens than the limit', send: () => post(`${url}/v1/embeddings`, { input: ['ok', 'the cat '.repeat(40)] }), status: 400, code: 'input_too_long', field: 'input[1]' },
    { name: 'invalid UTF-8 bytes', send: () => raw('/v1/tokenize', Buffer.concat([Buffer.from('{"input": "the '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')])), status: 400, code: 'invalid_utf8' },
    { name: '10 000 texts in one request', send: () => post(`${url}/v1/embeddings`, { input: Array.from({ length: 10_000 }, () => 'the cat') }), status: 400, code: 'invalid_request', field: 'input' },
    { name: 'no [MASK] in a fill-mask input', send: () => post(`${url}/v1/fill-mask`, { input: ['a [MASK] .', 'the cat sat'] }), status: 400, code: 'missing_mask', field: 'input[1]' },
    { name: 'an unknown model', send: () => post(`${url}/v1/embeddings`, { model: 'bert-large', input: 'a' }), status: 404, code: 'model_not_found', field: 'model' },
    { name: 'an operation the model lacks', send: () => post(`${url}/v1/fill-mask`, { model: 'base', input: 'a [MASK]' }), status: 400, code: 'unsupported_operation', field: 'model' },
    { name: 'a pair list of the wrong length', send: () => post(`${url}/v1/tokenize`, { input: ['a', 'b'], pair: ['c'] }), status: 400, code: 'invalid_request', field: 'pair' },
    { name: 'text/plain content', send: () => raw('/v1/embeddings', 'the cat', 'text/plain'), status: 415, code: 'unsupported_media_type' },
    { name: 'form content', send: () => raw('/v1/embeddings', 'input=the+cat', 'application/x-www-form-urlencoded'), status: 415, code: 'unsupported_media_type' },
    { name: 'an unknown route', send: () => post(`${url}/v1/summarize`, { input: 'a' }), status: 404, code: 'not_found' },
    { name: 'a __proto__ key', send: () => raw('/v1/embeddings', '{"input": "a", "__proto__": {"x": 1}}'), status: 400, code: 'invalid_request' },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}, and the server keeps serving`, async () => {
      const r = await c.send();
      expect(r.status).toBe(c.status);
      expect(r.body.error.code).toBe(c.code);
      expect(typeof r.body.error.message).toBe('string');
      expect(r.body.error.message.length).toBeGreaterThan(5);
      if (c.field !== undefined) expect(r.body.error.field).toBe(c.field);
      expect((await get(`${url}/healthz`)).status).toBe(200);
      const ok = await post<Json>(`${url}/v1/embeddings`, { input: 'the cat' });
      expect(ok.status).toBe(200);
    });
  }

  it('"truncate": true cuts an over-long text instead of rejecting it', async () => {
    const r = await post<Json>(`${url}/v1/tokenize`, { input: 'the cat '.repeat(40), truncate: true });
    expect(r.status).toBe(200);
    expect(r.body.data[0].ids).toHaveLength(64);
    expect(r.body.data[0].tokens.at(-1)).toBe('[SEP]');
  });

  it('counts the 4xx answers in /metrics by status', async () => {
    const m = await get<string>(`${url}/metrics`);
    expect(m.body).toMatch(/bert_requests_total\{method="POST",route="\/v1\/embeddings",status="400"\} \d+/);
    expect(m.body).toMatch(/status="415"/);
  });
});
