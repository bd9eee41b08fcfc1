import { lstat, mkdir, mkdtemp, readFile, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkBlob, readRef, repoCache, writeRef } from './cache-layout.js';

describe('cache layout', () => {
  it('names folders as huggingface_hub does', () => {
    const c = repoCache('/c', 'google-bert/bert-base-uncased');
    expect(c.root).toBe('/c/models--google-bert--bert-base-uncased');
    expect(c.blob('ab')).toBe('/c/models--google-bert--bert-base-uncased/blobs/ab');
    expect(c.ref('refs/pr/1')).toBe('/c/models--google-bert--bert-base-uncased/refs/refs/pr/1');
    expect(repoCache('/c', 'bert-base-uncased').snapshot('f'.repeat(40))).toBe(
      `/c/models--bert-base-uncased/snapshots/${'f'.repeat(40)}`,
    );
  });

  it('writes and reads refs', async () => {
    const c = repoCache(await mkdtemp(join(tmpdir(), 'bertkit-hub-')), 'o/m');
    expect(await readRef(c, 'main')).toBeUndefined();
    await writeRef(c, 'main', 'c'.repeat(40));
    expect(await readRef(c, 'main')).toBe('c'.repeat(40));
  });

  it('links a nested file relatively, and copies where symlinks fail', async () => {
    const c = repoCache(await mkdtemp(join(tmpdir(), 'bertkit-hub-')), 'o/m');
    await mkdir(join(c.root, 'blobs'), { recursive: true });
    await writeFile(c.blob('e1'), 'hello');
    const nested = join(c.snapshot('a'.repeat(40)), 'sub', 'f.txt');
    expect(await linkBlob(c.blob('e1'), nested)).toBe('symlink');
    expect(await readlink(nested)).toBe('../../../blobs/e1');
    const copied = join(c.snapshot('a'.repeat(40)), 'g.txt');
    const refuse = async () => {
      throw Object.assign(new Error('EPERM: operation not permitted, symlink'), { code: 'EPERM' });
    };
    expect(await linkBlob(c.blob('e1'), copied, refuse)).toBe('copy');
    expect((await lstat(copied)).isSymbolicLink()).toBe(false);
    expect(await readFile(copied, 'utf8')).toBe('hello');
  });
});
