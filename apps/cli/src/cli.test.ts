import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { commands } from './commands/index.js';
import { ProgressBar } from './progress.js';

function capture() {
  const out = new PassThrough(), err = new PassThrough();
  let o = '', e = '';
  out.on('data', (c) => (o += c));
  err.on('data', (c) => (e += c));
  return { io: { stdout: out, stderr: err, stdin: new PassThrough() }, out: () => o, err: () => e };
}

describe('bert CLI', () => {
  it('lists the commands and exits 0 on --help', async () => {
    const c = capture();
    expect(await runCli(['--help'], c.io)).toBe(0);
    expect(c.out()).toMatch(/tokenize/);
  });
  it('has a --help for every command listing each of its options', async () => {
    const top = capture();
    await runCli(['--help'], top.io);
    for (const cmd of commands) {
      expect(top.out()).toContain(`  ${cmd.name} `);
      const c = capture();
      expect(await runCli([cmd.name, '--help'], c.io)).toBe(0);
      expect(c.out()).toMatch(new RegExp(`^Usage: bert ${cmd.name} `));
      for (const name of Object.keys(cmd.options)) expect(c.out()).toContain(`--${name}`);
    }
  });
  it('rejects an unknown command with exit 2 and names it', async () => {
    const c = capture();
    expect(await runCli(['frobnicate'], c.io)).toBe(2);
    expect(c.err()).toMatch(/unknown command 'frobnicate'/);
  });
  it('suggests the nearest option for a misspelt one, and the nearest command', async () => {
    const c = capture();
    expect(await runCli(['fill-mask', '--top_k', '3'], c.io)).toBe(2);
    expect(c.err()).toMatch(/bert fill-mask: unknown option '--top_k': did you mean --top-k\? \(see --help\)/);
    const d = capture();
    expect(await runCli(['fill-msk'], d.io)).toBe(2);
    expect(d.err()).toMatch(/unknown command 'fill-msk': did you mean 'fill-mask'\?/);
    const e = capture();
    expect(await runCli(['tokenize', '--zzzzzzzz'], e.io)).toBe(2);
    expect(e.err()).toMatch(/unknown option '--zzzzzzzz' \(see --help\)/);
  });
  it('reports a bad option with the command usage and exit 2', async () => {
    const c = capture();
    expect(await runCli(['tokenize', '--nope'], c.io)).toBe(2);
    expect(c.err()).toMatch(/--nope/);
    expect(c.err()).toMatch(/Usage: bert tokenize/);
  });
  it('tokenizes with an inline vocabulary file', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bert-cli-'));
    writeFileSync(join(dir, 'vocab.txt'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world', '##s', '!'].join('\n'));
    const c = capture();
    expect(await runCli(['tokenize', '--vocab', join(dir, 'vocab.txt'), '--json', 'Hello worlds!'], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toEqual({
      ids: [2, 5, 6, 7, 8, 3],
      tokens: ['[CLS]', 'hello', 'world', '##s', '!', '[SEP]'],
      typeIds: [0, 0, 0, 0, 0, 0],
      offsets: [[0, 0], [0, 5], [6, 11], [11, 12], [12, 13], [0, 0]],
    });
  });
});

describe('ProgressBar', () => {
  it('prints plain lines off a TTY, throttled, with count, percent and ETA', () => {
    let t = 0, text = '';
    const stream = { write: (s: string) => ((text += s), true), isTTY: false } as unknown as NodeJS.WritableStream;
    const bar = new ProgressBar({ total: 10, label: 'train', stream, intervalMs: 1000, now: () => t });
    t = 500; bar.update(5, 'loss 1.0');       // throttled: printed (first update)
    t = 600; bar.update(6, 'loss 0.9');       // within the interval: not printed
    t = 2000; bar.update(10, 'loss 0.5');     // done count: printed
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^train .* 5\/10 50% 00:01<00:01 loss 1\.0$/);
    expect(lines[1]).toMatch(/10\/10 100% .* loss 0\.5$/);
  });
});
