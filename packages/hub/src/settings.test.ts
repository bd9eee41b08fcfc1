import { mkdtemp, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubSettings } from './settings.js';

describe('hubSettings', () => {
  it('defaults to huggingface.co and ~/.cache/huggingface/hub, online, without a token', async () => {
    const home = await mkdtemp(join(tmpdir(), 'bertkit-hub-'));
    expect(await hubSettings({ env: { XDG_CACHE_HOME: home } })).toEqual({
      endpoint: 'https://huggingface.co',
      token: undefined,
      cacheDir: join(home, 'huggingface', 'hub'),
      offline: false,
    });
    expect((await hubSettings({ env: { HF_TOKEN_PATH: join(home, 'none') } })).cacheDir).toBe(
      join(homedir(), '.cache', 'huggingface', 'hub'),
    );
  });

  it('reads the variables huggingface_hub reads, options first', async () => {
    const env = { HF_HOME: '/h', HF_ENDPOINT: 'http://mirror.local/', HF_TOKEN: ' hf_a ', HF_HUB_OFFLINE: 'yes' };
    expect(await hubSettings({ env })).toEqual({
      endpoint: 'http://mirror.local',
      token: 'hf_a',
      cacheDir: '/h/hub',
      offline: true,
    });
    expect((await hubSettings({ env: { ...env, HF_HUB_CACHE: '/c' } })).cacheDir).toBe('/c');
    expect((await hubSettings({ env: { HUGGING_FACE_HUB_TOKEN: 'hf_b', HF_HOME: '/h' } })).token).toBe('hf_b');
    expect((await hubSettings({ env: { TRANSFORMERS_OFFLINE: '1', HF_HOME: '/h' } })).offline).toBe(true);
    expect((await hubSettings({ env: { HF_HUB_OFFLINE: '0', HF_HOME: '/h' } })).offline).toBe(false);
    const o = await hubSettings({ env, endpoint: 'http://x', token: false, cacheDir: '/o', offline: false });
    expect(o).toEqual({ endpoint: 'http://x', token: undefined, cacheDir: '/o', offline: false });
  });

  it('reads the token file of huggingface-cli login', async () => {
    const home = await mkdtemp(join(tmpdir(), 'bertkit-hub-'));
    await writeFile(join(home, 'token'), 'hf_file\n');
    expect((await hubSettings({ env: { HF_HOME: home } })).token).toBe('hf_file');
    expect((await hubSettings({ env: { HF_HOME: home, HF_TOKEN: 'hf_env' } })).token).toBe('hf_env');
  });
});
