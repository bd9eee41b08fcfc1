// The `bert-server` binary (dist/bin.js, same flags as `bert serve`): starts, serves, exits 0 on SIGTERM after
// draining; bad flags exit 2 with the usage. Needs the built package; skipped otherwise.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureModels, modelsMissing } from './fixture-models.js';
import { get } from './http.js';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const binMissing = existsSync(bin) ? null : 'dist/bin.js not built (pnpm build): binary test skipped';

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, out: () => out, err: () => err };
}

describe.skipIf(modelsMissing ?? binMissing)('bert-server binary', () => {
  const f = modelsMissing ?? binMissing ? null : fixtureModels(['seqcls']);
  afterAll(() => f?.cleanup());

  it('serves on the given host and port 0, and exits 0 on SIGTERM', async () => {
    const p = run(['--model', `cls=${f!.dirs.seqcls}`, '--port', '0', '--backend', 'cpu']);
    let url: string | null = null;
    for (let i = 0; i < 300 && url === null; i++) {
      url = /listening on (http:\/\/\S+) /.exec(p.out())?.[1] ?? null;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(url).not.toBeNull();
    expect(p.out()).toContain(`model cls: ${f!.dirs.seqcls} [tokenize, embeddings, classify]`);
    expect(p.out()).toContain('(engine tfjs, backend cpu; batching on)');
    expect((await get(`${url}/readyz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.err()).toContain('SIGTERM, draining');
  });

  it('without --backend takes the one default (DEFAULT_PREFERENCE), never a software GPU adapter, and says which', async () => {
    const p = run(['--model', `cls=${f!.dirs.seqcls}`, '--port', '0']);
    let line: string | null = null;
    for (let i = 0; i < 300 && line === null; i++) {
      line = /^bert serve: listening on .*$/m.exec(p.out())?.[0] ?? null;
      await new Promise((r) => setTimeout(r, 100));
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(line).toMatch(/\(engine tfjs, backend (webgpu on '[^']+'|tfjs-node-gpu|tfjs-node|wasm|cpu); batching on\)/);
    expect(line).not.toContain('(software)');
  });

  it('exits 2 with the usage on a bad flag', async () => {
    const p = run(['--model', 'x', '--max-queue', 'lots']);
    expect(await p.exited).toBe(2);
    expect(p.err()).toContain('--max-queue: expected an integer >= 1, got "lots"');
    expect(p.err()).toContain('usage: bert-server');
  });
});
