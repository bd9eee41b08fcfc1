// pipeline() with a hub id: a fake hub on 127.0.0.1 serves the odd masked-LM model; it lands in the HF cache of a
// temporary HF_HOME (the layout Python shares) and gives the same outputs as the local directory.
import '@tensorflow/tfjs-backend-cpu';
import { fixturesMissing } from '@bertkit/test-utils';
import { startHubServer, type FakeHub } from '@bertkit/test-utils/hub-server';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipeline } from '../src/node';
import { oddModelDir, removeOddModelDirs, textOf } from './odd-models';

const skip = fixturesMissing('encoder');
const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);
const saved = { HF_HOME: process.env.HF_HOME, HF_ENDPOINT: process.env.HF_ENDPOINT, HF_HUB_OFFLINE: process.env.HF_HUB_OFFLINE, HF_TOKEN: process.env.HF_TOKEN };
let hub: FakeHub;
let home: string;
let dir: string;

describe.skipIf(skip !== null)(`pipeline() with a hub id (${skip ?? 'fake hub on 127.0.0.1'})`, () => {
  beforeAll(async () => {
    dir = oddModelDir('mlm');
    const files = Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
    hub = await startHubServer([{ id: 'org/odd-mlm', refs: { main: C1, v1: C2 }, files }]);
    home = mkdtempSync(join(tmpdir(), 'bertkit-hf-home-'));
    Object.assign(process.env, { HF_HOME: home, HF_ENDPOINT: hub.url });
    delete process.env.HF_HUB_OFFLINE;
    delete process.env.HF_TOKEN;
  });
  afterAll(async () => {
    await hub?.close();
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    if (home) rmSync(home, { recursive: true, force: true });
    removeOddModelDirs();
  });

  it('downloads org/name into $HF_HOME/hub, then reads the cache offline; @revision picks a commit', async () => {
    const text = `${textOf([15, 79])} [MASK] ${textOf([59, 60])}`;
    const local = await pipeline('fill-mask', dir, { backend: 'cpu' });
    const want = await local(text);
    local.dispose();

    const fromHub = await pipeline('fill-mask', 'org/odd-mlm', { backend: 'cpu' });
    expect(fromHub.model.source).toBe(join(home, 'hub', 'models--org--odd-mlm', 'snapshots', C1));
    expect(await fromHub(text)).toEqual(want);
    fromHub.dispose();
    const downloads = hub.requests.filter((r) => r.path.includes('/resolve/')).length;
    expect(downloads).toBe(3); // config.json, model.safetensors, vocab.txt

    process.env.HF_HUB_OFFLINE = '1';
    const requests = hub.requests.length;
    const offline = await pipeline('fill-mask', 'org/odd-mlm', { backend: 'cpu' });
    expect(await offline(text)).toEqual(want);
    offline.dispose();
    expect(hub.requests.length).toBe(requests); // no request at all
    await expect(pipeline('fill-mask', 'org/odd-mlm@v1', { backend: 'cpu' })).rejects.toThrow(/offline.*'org\/odd-mlm' revision 'v1' is not in the cache/);
    delete process.env.HF_HUB_OFFLINE;

    const v1 = await pipeline('fill-mask', 'org/odd-mlm', { backend: 'cpu', revision: 'v1' });
    expect(v1.model.source).toBe(join(home, 'hub', 'models--org--odd-mlm', 'snapshots', C2));
    v1.dispose();
    expect(existsSync(join(home, 'hub', 'models--org--odd-mlm', 'refs', 'v1'))).toBe(true);
    await expect(pipeline('fill-mask', 'org/missing', { backend: 'cpu' })).rejects.toThrow(/org\/missing/);
  });
});
