// Where models come from and whether the server says it is ready: a hub id is resolved through @bertkit/hub into
// the HF cache (offline here: a snapshot laid out as huggingface_hub writes it) and its origin is reported; a
// model that cannot run a forward pass on the backend (found by the warm-up) makes /readyz answer 503.
import { readSafetensors, writeSafetensors } from '@bertkit/encoder';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type BertServer } from '../src/index.js';
import { describeOrigin } from '../src/model-registry.js';
import { fixtureModels, modelsMissing } from './fixture-models.js';
import { get, post } from './http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

describe.skipIf(modelsMissing)('model sources and readiness', () => {
  let f: ReturnType<typeof fixtureModels>;
  let server: BertServer | null = null;
  const env = { cache: process.env.HF_HUB_CACHE, offline: process.env.HF_HUB_OFFLINE };

  beforeAll(() => {
    f = fixtureModels(['mlm']);
    const cache = join(f.root, 'hub');
    const repo = join(cache, 'models--bertkit-test--odd-mlm');
    mkdirSync(join(repo, 'refs'), { recursive: true });
    writeFileSync(join(repo, 'refs', 'main'), COMMIT);
    cpSync(f.dirs.mlm, join(repo, 'snapshots', COMMIT), { recursive: true });
    process.env.HF_HUB_CACHE = cache;
    process.env.HF_HUB_OFFLINE = '1'; // no network: a cache miss is an error, not a download
  });
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  afterAll(() => {
    for (const [k, v] of [['HF_HUB_CACHE', env.cache], ['HF_HUB_OFFLINE', env.offline]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    f?.cleanup();
  });

  it('a hub id is served from its HF cache snapshot, and the startup log says so', async () => {
    server = await createServer({ backend: 'cpu', models: [{ name: 'odd-mlm', dir: 'bertkit-test/odd-mlm' }] });
    const m = server.models.get('odd-mlm')!;
    expect(m.dir).toBe(join(f.root, 'hub', 'models--bertkit-test--odd-mlm', 'snapshots', COMMIT));
    expect(m.origin).toEqual({ source: 'cache', id: 'bertkit-test/odd-mlm', commit: COMMIT });
    expect(describeOrigin(m)).toBe(`bertkit-test/odd-mlm@${COMMIT.slice(0, 12)} from the HF cache: ${m.dir}`);
    const url = await server.listen(0);
    expect((await post<Json>(`${url}/v1/fill-mask`, { input: 'the [MASK] sat' })).status).toBe(200);
  });

  it('a hub id missing from the cache offline is an error naming it', async () => {
    await expect(createServer({ backend: 'cpu', models: [{ name: 'x', dir: 'bertkit-test/absent' }] })).rejects.toThrow(/bertkit-test\/absent.*not in the cache/);
  });

  it('/readyz answers 503 backend_failed when the warm-up forward pass fails; /healthz stays 200', async () => {
    // a checkpoint with one position: [CLS] [SEP] (the warm-up row) needs two, so its forward pass fails
    const dir = join(f.root, 'one-position');
    cpSync(f.dirs.mlm, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, max_position_embeddings: 1 }));
    const { tensors } = readSafetensors(readFileSync(join(dir, 'model.safetensors')));
    const name = [...tensors.keys()].find((k) => k.endsWith('position_embeddings.weight'))!;
    const pos = tensors.get(name)!;
    tensors.set(name, { dtype: pos.dtype, shape: [1, pos.shape[1]], data: pos.data.slice(0, pos.shape[1]) });
    writeFileSync(join(dir, 'model.safetensors'), writeSafetensors(tensors));
    server = await createServer({ backend: 'cpu', models: [{ name: 'one', dir }] });
    expect(server.backendError()).toMatch(/^warm-up of model one failed: /);
    const url = await server.listen(0);
    const r = await get<Json>(`${url}/readyz`);
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ code: 'backend_failed' });
    expect(r.body.error.message).toContain('warm-up of model one failed');
    expect((await get(`${url}/healthz`)).status).toBe(200);
  });
});
