import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { smooth } from '../runs-chart.js';
import { capture, tempDir } from '../test-io.js';

describe('bert chart', () => {
  it('draws each run (MLM loss, smoothed) with reference lines, on a y-axis fitted to the data', async () => {
    const dir = tempDir('bert-chart-');
    mkdirSync(join(dir, 'b'));
    const lines = (f: (s: number) => number) => Array.from({ length: 20 }, (_, i) => JSON.stringify({ step: (i + 1) * 10, loss: f(i) + 1, mlmLoss: f(i) })).join('\n');
    writeFileSync(join(dir, 'a.jsonl'), lines((i) => 7 - i * 0.01));
    writeFileSync(join(dir, 'b', 'metrics.jsonl'), lines((i) => 7.1 - i * 0.02) + '\n{"step": 3, "lo');
    const c = capture();
    const code = await runCli(['chart', '--runs', `first=${join(dir, 'a.jsonl')},${join(dir, 'b')}`, '--smooth', '3', '--line', '6.9=unigram', '--out', join(dir, 'c.svg')], c.io);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const svg = readFileSync(join(dir, 'c.svg'), 'utf8');
    expect(svg).toContain('>first</text>');
    expect(svg).toContain('>b</text>'); // a bare directory is named after itself
    expect(svg).toContain('>unigram</text>');
    expect(svg).toContain('moving mean of 3 logged points');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).not.toContain('>0</text><'); // y-axis ticks around 6.7–7.1, not from 0
    const bad = capture();
    expect(await runCli(['chart', '--runs', join(dir, 'missing.jsonl'), '--out', join(dir, 'x.svg')], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--runs .*missing\.jsonl: cannot read/);
  });

  it('smooth is a trailing moving mean', () => {
    expect(smooth([1, 2, 3, 4, 5], 2)).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
    expect(smooth([4, 8], 1)).toEqual([4, 8]);
  });
});
