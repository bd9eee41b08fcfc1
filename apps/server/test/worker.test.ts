// inference: 'worker' runs forward passes in a worker_thread. The worker is a file of the built package
// (dist/inference-worker.js), so this test imports createServer from dist and skips when it is not built.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BertServer, ServerOptions } from '../src/index.js';
import { fixtureModels, modelsMissing } from './fixture-models.js';
import { get, post } from './http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const dist = join(import.meta.dirname, '..', 'dist');
const distMissing = existsSync(join(dist, 'inference-worker.js')) ? null : 'dist/inference-worker.js not built (pnpm build): worker test skipped';

describe.skipIf(modelsMissing ?? distMissing)('inference in a worker thread', () => {
  let f: ReturnType<typeof fixtureModels>;
  let worker: BertServer;
  let main: BertServer;
  let wurl: string;
  let murl: string;

  beforeAll(async () => {
    f = fixtureModels(['mlm', 'qa', 'seqcls']);
    const { createServer } = (await import(join(dist, 'index.js'))) as { createServer: (o: ServerOptions) => Promise<BertServer> };
    const models = Object.entries(f.dirs).map(([name, dir]) => ({ name, dir }));
    worker = await createServer({ backend: 'cpu', models, inference: 'worker' });
    main = await createServer({ backend: 'cpu', models });
    wurl = await worker.listen(0);
    murl = await main.listen(0);
  });
  afterAll(async () => {
    await worker?.close();
    await main?.close();
    f?.cleanup();
  });

  it('answers every batched route as the main-thread engine does', async () => {
    const reqs: [string, unknown][] = [
      ['/v1/embeddings', { model: 'seqcls', input: ['the cat sat', 'a dog'], pooling: 'cls' }],
      ['/v1/fill-mask', { model: 'mlm', input: 'the [MASK] sat on the [MASK]', top_k: 3 }],
      ['/v1/classify', { model: 'seqcls', input: ['good movie', 'bad'] }],
      ['/v1/qa', { model: 'qa', question: 'where does john live ?', context: 'john lives in berlin and she went to paris .' }],
      ['/embed_all', { inputs: ['the cat sat', 'a dog'] }],
      ['/predict', { inputs: [['good movie'], ['bad', 'it was good']] }],
    ];
    for (const [path, body] of reqs) {
      const [a, b] = await Promise.all([post<Json>(`${wurl}${path}`, body), post<Json>(`${murl}${path}`, body)]);
      expect(a.status).toBe(200);
      expect(JSON.stringify(a.body)).toBe(JSON.stringify(b.body));
    }
  });

  it('library input errors from the worker still come back as 4xx, and the worker keeps serving', async () => {
    const r = await post<Json>(`${wurl}/v1/fill-mask`, { model: 'mlm', input: 'no mask here' });
    expect(r.status).toBe(400);
    expect((await post(`${wurl}/v1/classify`, { model: 'seqcls', input: 'ok' })).status).toBe(200);
    const m = await get<string>(`${wurl}/metrics`);
    expect(m.body).toMatch(/bert_inference_seconds_count\{model="seqcls",operation="logits"\} \d+/);
  });
});
