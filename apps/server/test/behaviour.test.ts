// Server behaviour: the OpenAPI contract, queue limits (429 + Retry-After), per-request timeout, bearer API key,
// CORS, and graceful shutdown that answers in-flight requests.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type BertServer, type ServerOptions } from '../src/index.js';
import { fixtureModels, modelsMissing } from './fixture-models.js';
import { get, post } from './http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(modelsMissing)('server behaviour', () => {
  let f: ReturnType<typeof fixtureModels> | null = null;
  let server: BertServer | null = null;

  async function start(extra: Partial<ServerOptions> = {}, names: ('base' | 'mlm' | 'seqcls' | 'qa' | 'tokcls' | 'mc')[] = ['base']): Promise<string> {
    f = fixtureModels(names);
    server = await createServer({ backend: 'cpu', models: names.map((n) => ({ name: n, dir: f!.dirs[n] })), ...extra });
    return server.listen(0);
  }
  afterEach(async () => {
    await server?.close();
    f?.cleanup();
    server = null;
    f = null;
  });

  it('/openapi.json is an OpenAPI 3 document with every route, its request schema and the error shape', async () => {
    const url = await start({}, ['base', 'mlm', 'seqcls', 'qa', 'tokcls', 'mc']);
    const doc = (await get<Json>(`${url}/openapi.json`)).body;
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const posts = ['/v1/tokenize', '/v1/embeddings', '/embeddings', '/v1/fill-mask', '/v1/classify', '/v1/qa', '/v1/ner', '/v1/multiple-choice'];
    const gets = ['/v1/models', '/healthz', '/readyz', '/metrics', '/openapi.json', '/v1/models/{name}/files/{file}', '/health', '/info'];
    const tei = ['/embed', '/embed_all', '/predict', '/tokenize', '/decode', '/'];
    expect(Object.keys(doc.paths).sort()).toEqual([...posts, ...gets, ...tei].sort());
    const ids = new Set<string>();
    for (const p of posts) {
      const op = doc.paths[p].post;
      ids.add(op.operationId);
      const schema = op.requestBody.content['application/json'].schema;
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      for (const r of schema.required) expect(schema.properties).toHaveProperty(r);
      expect(op.responses['200'].content['application/json'].schema.type).toBe('object');
      for (const code of ['400', '404', '413', '415', '429']) expect(op.responses[code].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
      // the documented required fields are the enforced ones
      const missing = await post<Json>(`${url}${p}`, {});
      expect(missing.status).toBe(400);
      expect(schema.required).toContain(missing.body.error.field);
    }
    for (const p of gets) expect(doc.paths[p].get.responses['200']).toBeDefined();
    expect(ids.size).toBe(posts.length);
    // TEI routes: TEI's error shape and codes, unknown fields ignored (as TEI's serde structs)
    for (const p of tei) {
      const op = doc.paths[p].post;
      ids.add(op.operationId);
      expect(op.requestBody.content['application/json'].schema.additionalProperties).toBe(true);
      for (const code of ['400', '413', '422', '424', '429']) expect(op.responses[code].content['application/json'].schema.$ref).toBe('#/components/schemas/TeiError');
      const missing = await post<Json>(`${url}${p}`, {});
      expect([p, missing.status, missing.body.error_type]).toEqual([p, 422, 'Validation']);
    }
    expect(ids.size).toBe(posts.length + tei.length);
    expect(doc.components.schemas.TeiError.required).toEqual(['error', 'error_type']);
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message', 'field']);
  });

  it('a full queue answers 429 with Retry-After; a request running past its deadline gets 503 timeout', async () => {
    // one row per forward pass: the 128-text request runs as 128 forward passes (yielding between them)
    const url = await start({ maxQueue: 1, maxBatchSize: 1, requestTimeoutMs: 150 });
    const long = Array.from({ length: 128 }, (_, i) => `the cat sat on the mat in paris ${'and the dog ran home '.repeat(8)} ${i}`);
    const first = post<Json>(`${url}/v1/embeddings`, { input: long });
    await new Promise((r) => setTimeout(r, 40));
    const [, third] = await Promise.all([post<Json>(`${url}/v1/embeddings`, { input: 'a dog' }), post<Json>(`${url}/v1/embeddings`, { input: 'a cat' })]);
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('queue_full');
    expect(third.headers.get('retry-after')).toBe('1');
    const r = await first;
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('timeout');
    expect((await get(`${url}/healthz`)).status).toBe(200);
  });

  it('with an API key, /v1/* needs the bearer token; health and metrics stay open', async () => {
    const url = await start({ apiKey: 's3cret' });
    const no = await post<Json>(`${url}/v1/tokenize`, { input: 'a' });
    expect(no.status).toBe(401);
    expect(no.body.error).toMatchObject({ code: 'unauthorized', field: 'authorization' });
    expect((await post(`${url}/v1/tokenize`, { input: 'a' }, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(`${url}/v1/tokenize`, { input: 'a' }, { authorization: 'Bearer s3cret' })).status).toBe(200);
    expect((await get(`${url}/healthz`)).status).toBe(200);
    expect((await get(`${url}/metrics`)).status).toBe(200);
  });

  it('CORS: allowed origins get the headers and a preflight answer; others get none', async () => {
    const url = await start({ corsOrigins: ['http://localhost:5173'] });
    const pre = await fetch(`${url}/v1/embeddings`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-headers')).toContain('content-type');
    const ok = await post(`${url}/v1/tokenize`, { input: 'a' }, { origin: 'http://localhost:5173' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await post(`${url}/v1/tokenize`, { input: 'a' }, { origin: 'http://evil.example' });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('batching off runs each request alone; answers are the same as with batching', async () => {
    const url = await start({ batching: false }, ['seqcls']);
    const texts = ['good movie', 'bad movie', 'the cat sat on the mat', 'a dog'];
    const off = await Promise.all(texts.map((t) => post<Json>(`${url}/v1/classify`, { input: t })));
    await server!.close();
    server = await createServer({ backend: 'cpu', models: [{ name: 'seqcls', dir: f!.dirs.seqcls }], maxWaitMs: 50 });
    const url2 = await server.listen(0);
    const on = await Promise.all(texts.map((t) => post<Json>(`${url2}/v1/classify`, { input: t })));
    on.forEach((r, i) => expect(r.body.data[0].score).toBeCloseTo(off[i].body.data[0].score, 5));
  });

  it('graceful shutdown answers the in-flight request, then refuses connections', async () => {
    const url = await start({ maxWaitMs: 300 });
    const inflight = post<Json>(`${url}/v1/embeddings`, { input: 'the cat sat' });
    await new Promise((r) => setTimeout(r, 50));
    const closing = server!.close();
    const r = await inflight;
    expect(r.status).toBe(200);
    expect(r.body.data[0].embedding).toHaveLength(40);
    await closing;
    server = null;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
