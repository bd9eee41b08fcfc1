import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gitOid, sha256, startHubServer, type FakeHub } from '../test/hub-server.js';
import { HubError } from './errors.js';
import { resolveModel, type DownloadProgress, type ResolveModelOptions } from './resolve-model.js';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const text = (s: string) => new TextEncoder().encode(s);
/** Deterministic bytes (an LCG), so that a wrong offset shows as wrong content. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, x = seed; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

const weights = bytes(300_001, 7);
const oddFiles = {
  'config.json': text('{"model_type":"bert","hidden_size":32,"vocab_size":99}\n'),
  'model.safetensors': weights,
  'vocab.txt': text('[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n'),
  'tokenizer_config.json': text('{"do_lower_case":true}\n'),
  'tf_model.h5': bytes(5000, 3),
  'README.md': text('# odd\n'),
};

let hub: FakeHub;
let home: string;

beforeAll(async () => {
  hub = await startHubServer([
    { id: 'org/bert-odd', refs: { main: C1, v1: C2 }, files: oddFiles },
    {
      id: 'bert-legacy',
      refs: { main: C1 },
      files: {
        'config.json': oddFiles['config.json'],
        'pytorch_model.bin': bytes(4000, 5),
        'vocab.txt': oddFiles['vocab.txt'],
      },
    },
    {
      id: 'org/gated',
      refs: { main: C1 },
      files: {
        'config.json': oddFiles['config.json'],
        'model.safetensors': bytes(2000, 9),
        'vocab.txt': oddFiles['vocab.txt'],
      },
      gatedToken: 'hf_secret',
    },
    {
      id: 'org/sharded',
      refs: { main: C2 },
      files: {
        'config.json': oddFiles['config.json'],
        'model.safetensors.index.json': text(
          '{"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}',
        ),
        'model-00001-of-00002.safetensors': bytes(3000, 1),
        'model-00002-of-00002.safetensors': bytes(3001, 2),
        'tokenizer.json': text('{}'),
      },
    },
  ]);
});
afterAll(() => hub.close());
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'bertkit-hub-'));
  hub.requests.length = 0;
});

const opts = (extra: Record<string, string> = {}): ResolveModelOptions => ({
  env: { HF_HOME: home, HF_ENDPOINT: hub.url, ...extra },
});
const repoDir = (folder: string) => join(home, 'hub', folder);
async function rejection(p: Promise<unknown>): Promise<HubError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HubError);
  return e as HubError;
}

describe('resolveModel from the hub', () => {
  it('downloads the BERT files into the HF cache layout shared with Python', async () => {
    const events: DownloadProgress[] = [];
    const r = await resolveModel('org/bert-odd', { ...opts(), onProgress: (p) => events.push(p) });
    const root = repoDir('models--org--bert-odd');
    expect(r).toEqual({
      dir: join(root, 'snapshots', C1),
      source: 'hub',
      repoId: 'org/bert-odd',
      revision: 'main',
      commit: C1,
      downloaded: ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer_config.json'],
    });
    expect((await readdir(r.dir)).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer_config.json',
      'vocab.txt',
    ]);
    expect(await readFile(join(root, 'refs', 'main'), 'utf8')).toBe(C1);
    // LFS files are stored under their sha256, others under their git blob id, as huggingface_hub does.
    expect(await readlink(join(r.dir, 'model.safetensors'))).toBe(`../../blobs/${sha256(weights)}`);
    expect(await readlink(join(r.dir, 'config.json'))).toBe(`../../blobs/${gitOid(oddFiles['config.json'])}`);
    expect(sha256(await readFile(join(r.dir, 'model.safetensors')))).toBe(sha256(weights));
    expect(await readFile(join(r.dir, 'vocab.txt'), 'utf8')).toBe('[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n');
    expect((await readdir(join(root, 'blobs'))).length).toBe(4);

    const paths = hub.requests.map((q) => `${q.method} ${q.path}`);
    expect(paths).toEqual([
      'GET /api/models/org/bert-odd/revision/main',
      `GET /api/models/org/bert-odd/tree/${C1}`,
      `GET /org/bert-odd/resolve/${C1}/config.json`,
      `GET /org/bert-odd/resolve/${C1}/model.safetensors`,
      `GET /org/bert-odd/resolve/${C1}/vocab.txt`,
      `GET /org/bert-odd/resolve/${C1}/tokenizer_config.json`,
    ]);
    expect(hub.requests.every((q) => q.authorization === undefined)).toBe(true);

    const w = events.filter((e) => e.file === 'model.safetensors');
    expect(w[0]).toMatchObject({ loaded: 0, total: 300_001, fileIndex: 1, fileCount: 4, repoId: 'org/bert-odd' });
    expect(w.at(-1)).toMatchObject({ loaded: 300_001, total: 300_001 });
    expect(w.every((e, i) => i === 0 || e.loaded >= w[i - 1].loaded)).toBe(true);
  });

  it('serves a complete cached snapshot without any request, online or offline', async () => {
    await resolveModel('org/bert-odd', opts());
    const n = hub.requests.length;
    const again = await resolveModel('org/bert-odd', opts());
    expect(again).toMatchObject({
      source: 'cache',
      commit: C1,
      dir: join(repoDir('models--org--bert-odd'), 'snapshots', C1),
    });
    expect(hub.requests.length).toBe(n);
    const offline = await resolveModel('org/bert-odd', {
      env: { HF_HOME: home, HF_HUB_OFFLINE: '1', HF_ENDPOINT: 'http://127.0.0.1:9' },
    });
    expect(offline.dir).toBe(again.dir);
    expect(hub.requests.length).toBe(n);
    // refresh asks the hub for the commit again but downloads nothing that is cached.
    const refreshed = await resolveModel('org/bert-odd', { ...opts(), refresh: true });
    expect(refreshed.downloaded).toEqual([]);
    expect(hub.requests.slice(n).map((q) => q.path)).toEqual([
      '/api/models/org/bert-odd/revision/main',
      `/api/models/org/bert-odd/tree/${C1}`,
    ]);
  });

  it('fails clearly offline when the snapshot is not cached or incomplete', async () => {
    const offline = { env: { HF_HOME: home, HF_HUB_OFFLINE: 'true' } };
    const e = await rejection(resolveModel('org/bert-odd', offline));
    expect(e.code).toBe('offline-cache-miss');
    expect(e.message).toContain(join(home, 'hub'));
    expect(e.message).toContain("'org/bert-odd' revision 'main' is not in the cache");
    await resolveModel('org/bert-odd', opts());
    await rm(join(repoDir('models--org--bert-odd'), 'snapshots', C1, 'model.safetensors'));
    const e2 = await rejection(resolveModel('org/bert-odd', offline));
    expect(e2.code).toBe('offline-cache-miss');
    expect(e2.message).toContain('lacks model.safetensors or pytorch_model.bin');
    expect(hub.requests.length).toBe(6);
    // Online, only the missing file is fetched, from its cached blob: no download at all.
    const r = await resolveModel('org/bert-odd', opts());
    expect(r.downloaded).toEqual([]);
    expect(sha256(await readFile(join(r.dir, 'model.safetensors')))).toBe(sha256(weights));
  });

  it('resumes a partial download with a Range request', async () => {
    const blobs = join(repoDir('models--org--bert-odd'), 'blobs');
    await mkdir(blobs, { recursive: true });
    await writeFile(join(blobs, `${sha256(weights)}.incomplete`), weights.subarray(0, 100_000));
    const events: DownloadProgress[] = [];
    const r = await resolveModel('org/bert-odd', { ...opts(), onProgress: (p) => events.push(p) });
    const q = hub.requests.find((x) => x.path.endsWith('/model.safetensors'))!;
    expect(q.range).toBe('bytes=100000-');
    expect(events.find((e) => e.file === 'model.safetensors')?.loaded).toBe(100_000);
    expect(sha256(await readFile(join(r.dir, 'model.safetensors')))).toBe(sha256(weights));
    await expect(stat(join(blobs, `${sha256(weights)}.incomplete`))).rejects.toThrow();
  });

  it('keeps the bytes of a cut download and resumes from them on the next call', async () => {
    hub.cutNext.set('model.safetensors', 120_000);
    const e = await rejection(resolveModel('org/bert-odd', opts()));
    expect(e.code).toBe('network');
    expect(e.message).toContain("download of 'model.safetensors'");
    expect(e.message).toContain('run again to resume');
    const partial = join(repoDir('models--org--bert-odd'), 'blobs', `${sha256(weights)}.incomplete`);
    const kept = (await stat(partial)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(120_000);
    hub.requests.length = 0;
    const r = await resolveModel('org/bert-odd', opts());
    expect(hub.requests.find((x) => x.path.endsWith('/model.safetensors'))?.range).toBe(`bytes=${kept}-`);
    expect(r.downloaded).toEqual(['model.safetensors', 'vocab.txt', 'tokenizer_config.json']);
    expect(sha256(await readFile(join(r.dir, 'model.safetensors')))).toBe(sha256(weights));
  });

  it('rejects a resumed file whose bytes do not hash to the LFS sha256, and deletes it', async () => {
    const partial = join(repoDir('models--org--bert-odd'), 'blobs', `${sha256(weights)}.incomplete`);
    await mkdir(join(partial, '..'), { recursive: true });
    await writeFile(partial, bytes(50_000, 99));
    const e = await rejection(resolveModel('org/bert-odd', opts()));
    expect(e.code).toBe('integrity');
    expect(e.message).toContain(`expected ${sha256(weights)}`);
    await expect(stat(partial)).rejects.toThrow();
    expect((await resolveModel('org/bert-odd', opts())).source).toBe('hub');
  });

  it('downloads a tag into refs/<tag>, and a commit id without any ref', async () => {
    const r = await resolveModel('org/bert-odd@v1', opts());
    expect(r).toMatchObject({
      revision: 'v1',
      commit: C2,
      dir: join(repoDir('models--org--bert-odd'), 'snapshots', C2),
    });
    expect(await readFile(join(repoDir('models--org--bert-odd'), 'refs', 'v1'), 'utf8')).toBe(C2);
    // The blobs of v1 are those of main here: a second snapshot links them without downloading.
    const main = await resolveModel('org/bert-odd', { ...opts(), revision: C1 });
    expect(main).toMatchObject({ source: 'hub', commit: C1, downloaded: [] });
    expect(await readdir(join(repoDir('models--org--bert-odd'), 'refs'))).toEqual(['v1']);
    const n = hub.requests.length;
    expect((await resolveModel(`org/bert-odd@${C1}`, opts())).source).toBe('cache');
    expect(hub.requests.length).toBe(n);
  });

  it('takes a bare legacy id and falls back to pytorch_model.bin without safetensors', async () => {
    const r = await resolveModel('bert-legacy', opts());
    expect(r.dir).toBe(join(repoDir('models--bert-legacy'), 'snapshots', C1));
    expect(r.downloaded).toEqual(['config.json', 'pytorch_model.bin', 'vocab.txt']);
    expect(hub.requests[0].path).toBe('/api/models/bert-legacy/revision/main');
  });

  it('fetches the shards a model.safetensors.index.json names', async () => {
    const r = await resolveModel('org/sharded', opts());
    expect(r.downloaded).toEqual([
      'config.json',
      'model.safetensors.index.json',
      'tokenizer.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
    ]);
    expect((await resolveModel('org/sharded', opts())).source).toBe('cache');
  });

  it('fetches exactly options.files, and names a missing one', async () => {
    const r = await resolveModel('org/bert-odd', { ...opts(), files: ['config.json', 'README.md'] });
    expect((await readdir(r.dir)).sort()).toEqual(['README.md', 'config.json']);
    const e = await rejection(resolveModel('org/bert-odd', { ...opts(), files: ['nope.txt'] }));
    expect(e.code).toBe('file-not-found');
    expect(e.message).toBe("repository 'org/bert-odd' has no nope.txt (asked for in options.files)");
  });
});

describe('resolveModel errors and tokens', () => {
  it('a gated repository: says to set HF_TOKEN, then works with it and sends it', async () => {
    const e = await rejection(resolveModel('org/gated', opts()));
    expect(e.code).toBe('gated');
    expect(e.details.status).toBe(401);
    expect(e.message).toContain('set HF_TOKEN');
    expect(e.message).toContain(`${hub.url}/org/gated`);
    hub.requests.length = 0;
    const r = await resolveModel('org/gated', opts({ HF_TOKEN: 'hf_secret' }));
    expect(r.source).toBe('hub');
    expect(hub.requests.length).toBe(5);
    expect(hub.requests.every((q) => q.authorization === 'Bearer hf_secret')).toBe(true);
  });

  it('reads the token huggingface-cli login stored in $HF_HOME/token; a refused token says so', async () => {
    await writeFile(join(home, 'token'), 'hf_secret\n');
    expect((await resolveModel('org/gated', opts())).source).toBe('hub');
    await rm(join(home, 'hub'), { recursive: true });
    const e = await rejection(resolveModel('org/gated', { ...opts(), token: 'hf_wrong' }));
    expect(e.code).toBe('gated');
    expect(e.message).toContain('the token in use has no access yet');
  });

  it('names a missing repository, revision and endpoint', async () => {
    const e = await rejection(resolveModel('org/nope', opts()));
    expect(e.code).toBe('repo-not-found');
    expect(e.message).toBe(`repository 'org/nope' not found on ${hub.url} (if it is private, set HF_TOKEN)`);
    const r = await rejection(resolveModel('org/bert-odd@v9', opts()));
    expect(r.code).toBe('revision-not-found');
    expect(r.message).toBe(`revision 'v9' not found in 'org/bert-odd' on ${hub.url}`);
    expect(await readdir(home)).toEqual([]);
  });

  it('an unreachable endpoint is a network error with the offline hint', async () => {
    const closed = await startHubServer([]);
    const url = closed.url;
    await closed.close();
    const e = await rejection(resolveModel('org/bert-odd', { env: { HF_HOME: home, HF_ENDPOINT: url } }));
    expect(e.code).toBe('network');
    expect(e.message).toContain(`cannot reach ${url} (ECONNREFUSED)`);
    expect(e.message).toContain(`HF_HUB_OFFLINE=1 to use only the cache at ${join(home, 'hub')}`);
  });

  it('stops on an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await resolveModel('org/bert-odd', { ...opts(), signal: ac.signal }).catch((x: unknown) => x);
    expect((e as Error).name).toBe('AbortError');
    expect(hub.requests).toEqual([]);
  });

  it('returns a local directory as it is, and refuses a missing path or a file', async () => {
    expect(await resolveModel(home, opts())).toEqual({ dir: home, source: 'local' });
    await writeFile(join(home, 'f.json'), '{}');
    expect((await rejection(resolveModel(join(home, 'f.json')))).code).toBe('not-a-directory');
    const e = await rejection(resolveModel('./no/such/dir'));
    expect(e.code).toBe('not-a-directory');
    expect(e.message).toContain('does not exist');
    expect((await rejection(resolveModel('bad id!', opts()))).code).toBe('invalid-id');
    expect(hub.requests).toEqual([]);
  });

  it('links snapshot files with relative symlinks into blobs', async () => {
    const r = await resolveModel('org/bert-odd', opts());
    expect((await lstat(join(r.dir, 'vocab.txt'))).isSymbolicLink()).toBe(true);
  });
});

describe('resolveModel through a CDN redirect (as the hub serves LFS files)', () => {
  it('follows the redirect, keeps Range, and does not send the token to the other origin', async () => {
    const cdn = await startHubServer([], { cdnBlobs: [weights] });
    const hub2 = await startHubServer(
      [{ id: 'org/private', refs: { main: C1 }, files: oddFiles, gatedToken: 'hf_secret' }],
      { lfsRedirect: cdn.url },
    );
    try {
      const partial = join(home, 'hub', 'models--org--private', 'blobs', `${sha256(weights)}.incomplete`);
      await mkdir(join(partial, '..'), { recursive: true });
      await writeFile(partial, weights.subarray(0, 777));
      const r = await resolveModel('org/private', { env: { HF_HOME: home, HF_ENDPOINT: hub2.url, HF_TOKEN: 'hf_secret' } });
      expect(sha256(await readFile(join(r.dir, 'model.safetensors')))).toBe(sha256(weights));
      expect(await readlink(join(r.dir, 'model.safetensors'))).toBe(`../../blobs/${sha256(weights)}`);
      expect(hub2.requests.every((q) => q.authorization === 'Bearer hf_secret')).toBe(true);
      expect(cdn.requests).toEqual([
        { method: 'GET', path: `/cdn/${sha256(weights)}`, authorization: undefined, range: 'bytes=777-' },
      ]);
    } finally {
      await hub2.close();
      await cdn.close();
    }
  });
});
