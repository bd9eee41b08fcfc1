/**
 * One cache for both worlds: Python's huggingface_hub reads what resolveModel wrote, and resolveModel reads what
 * huggingface_hub wrote, both against the small hub on 127.0.0.1. Runs where a Python with huggingface_hub is
 * found ($BERTKIT_HF_PYTHON, else python3); skipped otherwise.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, startHubServer, type FakeHub } from '../test/hub-server.js';
import { resolveModel } from './resolve-model.js';

const python = process.env.BERTKIT_HF_PYTHON ?? 'python3';
const hasHfHub = spawnSync(python, ['-c', 'import huggingface_hub'], { stdio: 'ignore' }).status === 0;
const COMMIT = 'c'.repeat(40);
const files: Record<string, Uint8Array> = {
  'config.json': new TextEncoder().encode('{"model_type":"bert"}'),
  'model.safetensors': new Uint8Array(50_000).map((_, i) => (i * 7919) % 251),
  'vocab.txt': new TextEncoder().encode('[PAD]\n[UNK]\n'),
  'tf_model.h5': new Uint8Array(3000),
};

/** Asynchronous: the hub answering Python runs in this process's event loop. */
async function py(code: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(python, ['-c', code], { env: { ...process.env, ...env } });
  return stdout.trim();
}

describe.skipIf(!hasHfHub)('python huggingface_hub interop', () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startHubServer([{ id: 'org/bert', refs: { main: COMMIT }, files }]);
  });
  afterAll(() => hub.close());

  it('huggingface_hub reads offline the snapshot resolveModel wrote', async () => {
    const home = await mkdtemp(join(tmpdir(), 'bertkit-hub-'));
    const r = await resolveModel('org/bert', { env: { HF_HOME: home, HF_ENDPOINT: hub.url } });
    const env = { HF_HOME: home, HF_HUB_OFFLINE: '1', HF_HUB_DISABLE_TELEMETRY: '1' };
    const snap = await py(`from huggingface_hub import snapshot_download as s; print(s('org/bert'))`, env);
    expect(snap).toBe(r.dir);
    const w = await py(`from huggingface_hub import hf_hub_download as d; print(d('org/bert', 'model.safetensors'))`, env);
    expect(w).toBe(join(r.dir, 'model.safetensors'));
  });

  it('resolveModel reads offline the files huggingface_hub downloaded, named as it names them', async () => {
    const home = await mkdtemp(join(tmpdir(), 'bertkit-hub-'));
    const env = { HF_HOME: home, HF_ENDPOINT: hub.url, HF_HUB_DISABLE_TELEMETRY: '1' };
    await py(
      `from huggingface_hub import hf_hub_download as d\nfor f in ['config.json', 'model.safetensors', 'vocab.txt']: d('org/bert', f)`,
      env,
    );
    const n = hub.requests.length;
    const r = await resolveModel('org/bert', { env: { HF_HOME: home, HF_HUB_OFFLINE: '1' } });
    expect(r).toMatchObject({ source: 'cache', commit: COMMIT });
    expect(hub.requests.length).toBe(n);
    expect(sha256(await readFile(join(r.dir, 'model.safetensors')))).toBe(sha256(files['model.safetensors']));
    // The same blob names as ours: a fresh download by resolveModel into another cache names them identically.
    const mine = await mkdtemp(join(tmpdir(), 'bertkit-hub-'));
    await resolveModel('org/bert', { env: { HF_HOME: mine, HF_ENDPOINT: hub.url } });
    const blobs = (h: string) => readdir(join(h, 'hub', 'models--org--bert', 'blobs')).then((b) => b.sort());
    expect(await blobs(mine)).toEqual(await blobs(home));
  });
});
