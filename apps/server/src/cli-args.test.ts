import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs, serveArgsFromValues } from './cli-args.js';
import { ServerConfigError } from './errors.js';

describe('parseServeArgs', () => {
  it('reads repeatable --model dir / name=dir and the limits', () => {
    const a = parseServeArgs(['--model', 'src', '--model', 'emb=/m/base', '--port', '0', '--no-batching', '--max-batch-size', '16', '--overflow', 'truncate', '--cors', 'http://a, http://b', '--backend', 'cpu']);
    expect(a.options.models).toEqual([
      { name: 'src', dir: resolve('src') }, // an existing directory: made absolute
      { name: 'emb', dir: '/m/base' },
    ]);
    expect(a).toMatchObject({ port: 0, host: '127.0.0.1' });
    expect(a.options).toMatchObject({ batching: false, maxBatchSize: 16, overflow: 'truncate', corsOrigins: ['http://a', 'http://b'], backend: 'cpu' });
    expect(a.options).not.toHaveProperty('maxQueue');
  });

  it('keeps a value that is not an existing path as a hub id (resolved at start), named by its last segment', () => {
    const a = parseServeArgs(['--model', 'google-bert/bert-base-uncased@main', '--model', 'mine=org/name']);
    expect(a.options.models).toEqual([
      { name: 'bert-base-uncased', dir: 'google-bert/bert-base-uncased@main' },
      { name: 'mine', dir: 'org/name' },
    ]);
  });

  it('already-parsed values (what bert serve in apps/cli has) give the same options as argv', () => {
    const argv = ['--model', 'emb=/m/base', '--backend', 'webgpu', '--max-queue', '3', '--worker'];
    expect(serveArgsFromValues({ model: ['emb=/m/base'], backend: 'webgpu', 'max-queue': '3', worker: true })).toEqual(parseServeArgs(argv));
  });

  it('takes the API key from BERT_API_KEY when no flag is given', () => {
    expect(parseServeArgs(['--model', 'x'], { BERT_API_KEY: 'k' }).options.apiKey).toBe('k');
  });

  it('rejects missing models, bad numbers, backends and overflow modes by name', () => {
    expect(() => parseServeArgs([])).toThrow(ServerConfigError);
    expect(() => parseServeArgs(['--model', 'x', '--port=-1'])).toThrow(/--port: expected an integer >= 0/);
    expect(() => parseServeArgs(['--model', 'x', '--prot', '1'])).toThrow(/arguments: .*--prot/);
    expect(() => parseServeArgs(['--model', 'x', '--max-queue', '0'])).toThrow(/--max-queue/);
    expect(() => parseServeArgs(['--model', 'x', '--backend', 'tpu'])).toThrow(/--backend: expected .*cpu.*, got "tpu"/);
    expect(() => parseServeArgs(['--model', 'x', '--overflow', 'drop'])).toThrow(/--overflow/);
  });
});
